"""A real SMTP server for the tests (Debian's python3-aiosmtpd), on 127.0.0.1.

Every accepted message is written to FOLDER as <n>.eml, whole, as it arrived. Recipients steer
faults: an address with "+reject" in it is refused with 550; one with "+later" gets 451 the first
time it is offered and is accepted after that.

usage: python3 smtp_server.py PORT FOLDER
"""
import os
import sys
import threading
import uuid

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, folder):
        self.folder = folder
        self.deferred = set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "+reject" in address:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if "+later" in address:
            with self.lock:
                if address not in self.deferred:
                    self.deferred.add(address)
                    return "451 4.3.0 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = uuid.uuid4().hex
        temp = os.path.join(self.folder, name + ".tmp")
        with open(temp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(temp, os.path.join(self.folder, name + ".eml"))
        return "250 2.0.0 Queued as " + name


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Store(folder), hostname="127.0.0.1", port=port, data_size_limit=10_000_000)
    controller.start()
    print("listening on 127.0.0.1:%d" % port, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
