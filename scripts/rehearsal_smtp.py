"""A throwaway SMTP sink for the production rehearsal: accepts every message and writes its headers to
stdout (smtpd is gone from Python 3.12). Usage: rehearsal_smtp.py PORT"""

import socketserver
import sys


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 rehearsal ESMTP\r\n")
        in_data = False
        while line := self.rfile.readline():
            if in_data:
                if line in (b".\r\n", b".\n"):
                    in_data = False
                    self.wfile.write(b"250 queued\r\n")
                elif line.lower().startswith((b"subject:", b"to:")):
                    sys.stdout.write(line.decode(errors="replace"))
                    sys.stdout.flush()
                continue
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 rehearsal\r\n")
            elif verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    with Server(("127.0.0.1", int(sys.argv[1])), Handler) as server:
        server.serve_forever()
