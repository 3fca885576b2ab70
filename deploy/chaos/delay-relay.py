#!/usr/bin/env python3
"""A TCP relay that adds latency, for the network experiments (network.sh), because this machine's kernel has no
netem (sch_netem is not built in, nor fq for timestamp-paced delays).

    delay-relay.py LISTEN_HOST LISTEN_PORT TARGET_HOST TARGET_PORT DELAY_FILE STATS_FILE

Every chunk the client (a worker) sends is forwarded to the target (PostgreSQL) DELAY_FILE's milliseconds after it
arrived, in order; answers come back at once: one delay per round trip, as netem on the worker's egress would add.
SIGHUP re-reads DELAY_FILE (the experiment changes the latency without breaking connections); SIGUSR1 writes to
STATS_FILE how late the forwarded chunks left against their due time (p50, p99, max, in ms): under CPU load the relay
itself adds latency, and the experiment reports it. Packet loss and cuts are not the relay's: nftables does them on
the namespace's link.
"""
import asyncio
import signal
import sys


def read_delay(path):
    with open(path) as f:
        return float(f.read().strip()) / 1000.0


async def forward(reader, writer, delay, lateness):
    """Copies reader to writer, each chunk delay() seconds after it arrived, in arrival order."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def send():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if lateness is not None:
                lateness.append(loop.time() - due)
                del lateness[:-100000]
            if data is None:
                break
            writer.write(data)
            await writer.drain()
        writer.close()

    sender = asyncio.create_task(send())
    try:
        while data := await reader.read(65536):
            queue.put_nowait((loop.time() + delay(), data))
    except (ConnectionError, OSError):
        pass
    queue.put_nowait((loop.time() + delay(), None))
    try:
        await sender
    except (ConnectionError, OSError):
        pass


async def main(listen_host, listen_port, target_host, target_port, delay_file, stats_file):
    loop = asyncio.get_running_loop()
    state = {"delay": read_delay(delay_file)}
    lateness = []

    def reload():
        state["delay"] = read_delay(delay_file)

    def stats():
        late = sorted(lateness)
        lateness.clear()
        with open(stats_file, "w") as f:
            if late:
                pick = lambda q: late[min(len(late) - 1, int(q * len(late)))] * 1000
                f.write(f"{len(late)} {pick(0.5):.3f} {pick(0.99):.3f} {late[-1] * 1000:.3f}\n")
            else:
                f.write("0 0 0 0\n")

    loop.add_signal_handler(signal.SIGHUP, reload)
    loop.add_signal_handler(signal.SIGUSR1, stats)

    async def serve(client_reader, client_writer):
        try:
            target_reader, target_writer = await asyncio.open_connection(target_host, target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(forward(client_reader, target_writer, lambda: state["delay"], lateness),
                             forward(target_reader, client_writer, lambda: 0.0, None))

    server = await asyncio.start_server(serve, listen_host, listen_port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    host, port, target, target_port, delay_file, stats_file = sys.argv[1:7]
    asyncio.run(main(host, int(port), target, int(target_port), delay_file, stats_file))
