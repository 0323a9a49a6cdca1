"""A real SMTP server for the email sender's tests (aiosmtpd, Debian's python3-aiosmtpd).

Usage: smtp_receiver.py OUTDIR
Listens on 127.0.0.1 at a free port, prints the port on its first line, and saves each message
it accepts as OUTDIR/N.eml with its envelope in OUTDIR/N.json. Recipients whose local part starts
with "refuse" get "550 5.1.1 mailbox unavailable"; with "later", "451 4.3.0 try again later".
"""
import asyncio
import json
import os
import sys

from aiosmtpd.smtp import SMTP

out_dir = sys.argv[1]


class SavingHandler:
    def __init__(self):
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0]
        if local.startswith("refuse"):
            return "550 5.1.1 mailbox unavailable"
        if local.startswith("later"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(out_dir, str(self.count))
        with open(base + ".eml", "wb") as message:
            message.write(envelope.original_content)
        with open(base + ".json.tmp", "w") as meta:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, meta)
        # Renamed last, so a reader that sees the .json sees the whole message.
        os.replace(base + ".json.tmp", base + ".json")
        return "250 2.0.0 Ok: queued"


async def main():
    handler = SavingHandler()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, hostname="localhost"), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


asyncio.run(main())
