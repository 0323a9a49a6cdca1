using System.Runtime.CompilerServices;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Grpc.Core;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Paging;

/// <summary>
/// Builds the List, Search and Today responses from a page. Over gRPC and gRPC-Web the page's
/// stored documents go out as they are, never decoded and encoded again: the response message
/// carries the total and the token, and the whole response's encoding (<see cref="ListingEncoder"/>,
/// the bytes the generated class would write) is kept beside it for the response marshaller of
/// <see cref="EventServiceBinding"/> to send. A REST call (JSON transcoding) writes JSON from the
/// message, so its events are decoded into it. Measured in bench/RESULTS.md: without this, a search
/// page of 50 events costs its decoding and encoding on top of its SQL.
/// </summary>
internal static class ListingResponses
{
    private static readonly ConditionalWeakTable<object, byte[]> Encoded = new();

    public static ListEventsResponse List(PageResult page, ServerCallContext context)
    {
        var response = new ListEventsResponse { TotalCount = page.TotalCount, NextPageToken = page.NextPageToken, TotalCountRelation = Relation(page) };
        return Fill(response, response.Events, page, context);
    }

    public static SearchEventsResponse Search(PageResult page, ServerCallContext context)
    {
        var response = new SearchEventsResponse { TotalCount = page.TotalCount, NextPageToken = page.NextPageToken, TotalCountRelation = Relation(page) };
        return Fill(response, response.Events, page, context);
    }

    public static TodayEventsResponse Today(PageResult page, ServerCallContext context)
    {
        var response = new TodayEventsResponse { TotalCount = page.TotalCount, NextPageToken = page.NextPageToken, TotalCountRelation = Relation(page) };
        return Fill(response, response.Events, page, context);
    }

    /// <summary>The relation of the page's total to the number of matches: EXACT, or AT_LEAST past the count limit.</summary>
    public static TotalCountRelation Relation(PageResult page) =>
        page.TotalCountExact ? TotalCountRelation.Exact : TotalCountRelation.AtLeast;

    /// <summary>The encoding kept for <paramref name="response"/>, removed as it is taken; false for any other message.</summary>
    public static bool TryTakeEncoded(object response, out byte[] encoded) =>
        Encoded.TryGetValue(response, out encoded!) && Encoded.Remove(response);

    private static T Fill<T>(T response, RepeatedField<Event> events, PageResult page, ServerCallContext context)
        where T : IMessage
    {
        if (SendsProtobuf(context))
        {
            Encoded.AddOrUpdate(response, ListingEncoder.Encode(page));
        }
        else
        {
            foreach (var stored in page.Events)
            {
                events.Add(stored.Decode());
            }
        }

        return response;
    }

    // gRPC and gRPC-Web (application/grpc, application/grpc-web...) carry the protobuf encoding;
    // transcoded REST calls do not.
    private static bool SendsProtobuf(ServerCallContext context) =>
        context.GetHttpContext().Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
}
