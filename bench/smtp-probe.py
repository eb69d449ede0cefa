#!/usr/bin/env python3
"""Acceptance latency probe for the bench/ scripts, run beside the smtp-source load.

One SMTP connection to 127.0.0.1:PORT sends a message of SIZE bytes at a fixed RATE per second
until SIGTERM or SIGINT, then prints one line: "accepted failed p50_ms p99_ms". When a reply
takes longer than the interval, the next message goes at once; missed slots are not made up
in a burst.

What it measures, per message: the time from handing the end of DATA (the final ".\r\n", sent
on its own after the text) to the kernel until the whole reply line has been read, i.e. what a
client waits for the relay to say 250 (for Sluice, Postfix and Haraka: after the message is on
disk). Only 250 replies are timed; any other reply counts as failed. MAIL, RCPT and DATA are
sent one at a time, each waiting for its reply, as smtp-source does.
"""
import argparse
import math
import signal
import socket
import sys
import time

stopping = False


def stop(_signum, _frame):
    global stopping
    stopping = True


class Session:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.file = self.sock.makefile("rb")
        self.expect("220")
        self.command("EHLO probe.bench.example", "250")

    def reply(self):
        """The reply's code and its last line (multi-line replies are read to their end)."""
        while True:
            line = self.file.readline()
            if not line:
                raise ConnectionError("connection closed by the server")
            if line[3:4] != b"-":
                return line[:3].decode(), line

    def expect(self, code):
        got, line = self.reply()
        if got != code:
            raise ConnectionError(f"expected {code}, got {line!r}")

    def command(self, line, code):
        self.sock.sendall(line.encode() + b"\r\n")
        self.expect(code)

    def send(self, text):
        """Sends one message; its DATA-end→reply time in ms, or None if it was not accepted."""
        self.command("MAIL FROM:<probe@bench.example>", "250")
        self.command("RCPT TO:<sink@bench.example>", "250")
        self.command("DATA", "354")
        self.sock.sendall(text)
        start = time.perf_counter()
        self.sock.sendall(b".\r\n")
        code, _ = self.reply()
        elapsed = (time.perf_counter() - start) * 1000
        return elapsed if code == "250" else None

    def close(self):
        try:
            self.sock.sendall(b"QUIT\r\n")
            self.reply()
        except OSError:
            pass
        self.sock.close()


def message(size, number):
    head = (
        "From: <probe@bench.example>\r\n"
        "To: <sink@bench.example>\r\n"
        f"Subject: probe {number}\r\n"
        f"Message-ID: <probe.{number}.{time.time_ns()}@bench.example>\r\n"
        "\r\n"
    ).encode()
    line = b"x" * 76 + b"\r\n"
    body = line * max(0, (size - len(head)) // len(line))
    return head + body


def percentile(sorted_values, fraction):
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", type=int)
    parser.add_argument("--rate", type=float, default=25)
    parser.add_argument("--size", type=int, default=2048)
    parser.add_argument("--ready", help="a file created once connected, before the first message")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    interval = 1 / args.rate
    latencies, failed, number = [], 0, 0
    session = Session(args.port)
    if args.ready:
        open(args.ready, "w").close()
    due = time.monotonic()
    while not stopping:
        now = time.monotonic()
        if now < due:
            time.sleep(due - now)
            continue
        due = max(due + interval, now)  # late: the next one goes at once, no catching up
        number += 1
        try:
            elapsed = session.send(message(args.size, number))
        except OSError as error:  # ConnectionError included: a reply out of turn, a closed socket
            print(f"probe message {number}: {error}", file=sys.stderr)
            failed += 1
            session.sock.close()
            session = Session(args.port)
            continue
        if elapsed is None:
            failed += 1
        else:
            latencies.append(elapsed)
    session.close()
    latencies.sort()
    print(f"{len(latencies)} {failed} {percentile(latencies, 0.50):.2f} {percentile(latencies, 0.99):.2f}")


if __name__ == "__main__":
    main()
