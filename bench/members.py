"""Services for the registry scenario to check: one process answering ``GET /health/ready`` with
200 on each of N loopback ports, noting when each port was checked. Run by the benchmark:

    python members.py <count>

Prints the ports (a JSON list) once listening; ``GET /checks`` on the first port answers the
check times per port (seconds, monotonic), and stops nothing: the benchmark kills the process.
"""

import asyncio
import json
import sys
import time
from collections import defaultdict

HEALTHY = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"
    + b'{"status":"ok"}'
)


async def main(count: int) -> None:
    checks: dict[int, list[float]] = defaultdict(list)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        port = writer.get_extra_info("sockname")[1]
        try:
            while request := await reader.readuntil(b"\r\n\r\n"):
                if request.startswith(b"GET /checks "):
                    body = json.dumps(checks).encode()
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        + f"Content-Length: {len(body)}\r\n\r\n".encode()
                        + body
                    )
                else:
                    checks[port].append(time.monotonic())
                    writer.write(HEALTHY)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    servers = [await asyncio.start_server(answer, "127.0.0.1", 0) for _ in range(count)]
    print(json.dumps([s.sockets[0].getsockname()[1] for s in servers]), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
