#!/usr/bin/python3
"""A real WebSocket client (Debian's python3-websockets) for agenthost's
GET /stream, driven by tests/integration/websocket_stream_test.cpp.

usage: stream_client.py URL MODE RUN_ID [LAST_EVENT_ID]
MODE: follow (read to the end), fragmented (the first message in three
fragments, then follow), close_early (close after the first event),
vanish (drop the TCP connection after the first event, no close handshake),
query (the run and last event id in the URL's query, as a browser's
new WebSocket(url) names them, and no message sent), raw (RUN_ID is the
first message's text as is).
Prints one JSON object: the messages received, the done message, the close
code, whether a ping was answered.
"""
import asyncio
import json
import sys
import time
import urllib.parse

import websockets


async def main():
    url, mode, run_id = sys.argv[1], sys.argv[2], sys.argv[3]
    out = {"events": [], "done": None, "close_code": None, "pong": False}
    first = {"run_id": run_id}
    if len(sys.argv) > 4:
        first["last_event_id"] = int(sys.argv[4])
    text = run_id if mode == "raw" else json.dumps(first)
    if mode == "query":
        url += "?" + urllib.parse.urlencode(first)
    async with websockets.connect(url, max_size=2**20, ping_interval=None, close_timeout=3) as ws:
        if mode != "query":  # there the host may stream and close before a pong
            pong = await ws.ping(b"are-you-there")
            await asyncio.wait_for(pong, 5)
            out["pong"] = True
        if mode == "fragmented":
            await ws.send([text[:5], text[5:12], text[12:]])
        elif mode == "query":
            pass  # the host must start on its own
        else:
            await ws.send(text)
        if mode in ("vanish", "close_early"):
            out["events"].append(json.loads(await asyncio.wait_for(ws.recv(), 15)))
            if mode == "vanish":
                ws.transport.abort()
            else:
                started = time.monotonic()
                await ws.close(code=1000, reason="enough")
                out["close_seconds"] = time.monotonic() - started
                out["close_code"] = ws.close_code
            print(json.dumps(out))
            return
        try:
            while True:
                # Sooner for query: a host that waits for a message never sends.
                data = json.loads(await asyncio.wait_for(ws.recv(), 10 if mode == "query" else 30))
                if data.get("type") == "done":
                    out["done"] = data
                else:
                    out["events"].append(data)
        except websockets.ConnectionClosed as closed:
            out["close_code"] = closed.code
    print(json.dumps(out))


asyncio.run(main())
