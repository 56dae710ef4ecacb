#!/usr/bin/env python3
"""make bench: an OTLP/HTTP receiver that takes every POST and answers 200,
counting the spans it got (printed on SIGTERM), for the tracing cost figure.

    tools/bench/otlp_sink.py PORT
"""
import http.server
import json
import signal
import sys
import threading

spans = 0
lock = threading.Lock()


class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global spans
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            count = sum(len(scope["spans"]) for resource in json.loads(body)["resourceSpans"]
                        for scope in resource["scopeSpans"])
        except (ValueError, KeyError, TypeError):
            count = 0
        with lock:
            spans += count
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink)

    def stop(*_):
        print(spans, flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    server.serve_forever()


if __name__ == "__main__":
    main()
