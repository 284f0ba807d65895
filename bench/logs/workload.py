"""The logs benchmark workload: realistic lines in ~200 streams, deterministic for a seed.

Half the streams are nginx access logs (namespace "web": ingress, web, static,
api-gateway pods), half JSON application logs (namespace "shop": ten services
× ten pods) with level, logger, msg, method, route, status, duration_ms,
trace_id and span_id. Every line gets a timestamp in the `hours` before `end_ns`,
strictly increasing over the whole workload (so every stream is in time
order). Busy streams log more than quiet ones (weights 1..4).

Needles for the queries, placed deterministically:

  * RARE: exactly `RARE_COUNT` JSON lines say "disk quota exceeded on volume …",
    spread over the range;
  * trace ids: every nginx line carries `request_id=<trace id>`; a quarter of the
    requests fan out to 2-4 service calls, whose JSON lines carry the same
    trace id a little later. `lookup_ids` are the ids of ten nginx lines
    spread over the range (each fans out to three service calls), with how
    many lines carry each.

Push requests are Loki's `logproto.PushRequest` (protobuf, raw-snappy
compressed, as Promtail and Grafana Alloy send them), one per batch of
`batch_lines` lines of one sender's streams in time order.

Every random choice goes through `Draws`, which adds up the information it
puts in the lines (−log2 of the chosen value's probability). Their sum is a
floor under any lossless store's bytes per line: on average no coding can
keep the workload in fewer bits than the choices that made it (all of them
can be read back from the lines, but for a few hundredths of a byte a line,
such as the count of a fan-out whose follow-ups fell off the queue). A
follow-up line's trace id adds nothing (the queue it comes from is known
from the lines before); its 128 random bits count once, where it is drawn.
"""

from __future__ import annotations

import bisect
import collections
import json
import math
import random
import time
from dataclasses import dataclass

import cramjam

RARE = "disk quota exceeded"
RARE_COUNT = 20
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
NGINX_APPS = ["ingress-nginx", "web", "static", "api-gateway"]
SERVICES = ["checkout", "cart", "payment", "catalog", "search", "user", "shipping", "auth", "recommend", "notify"]
ROUTES = ["/api/v1/products", "/api/v1/products/{id}", "/api/v1/cart", "/api/v1/checkout", "/api/v1/users/{id}",
          "/api/v1/search", "/static/app.js", "/static/app.css", "/healthz", "/login"]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
          "curl/8.5.0", "Go-http-client/1.1", "kube-probe/1.30"]
MESSAGES = {"debug": ["cache hit", "cache miss", "query plan chosen", "token refreshed"],
            "info": ["request completed", "request completed", "request completed", "order placed", "item added"],
            "warn": ["slow request", "retrying upstream call", "rate limit approaching", "deprecated field used"],
            "error": ["upstream timeout", "connection refused", "payment declined by provider", "deadlock detected"]}


@dataclass
class Workload:
    streams: list[dict[str, str]]
    requests: list[tuple[int, bytes, int]]  # (sender, body, lines)
    lines: int
    raw_bytes: int
    start_ns: int
    end_ns: int
    levels: dict[str, int]  # JSON lines per level
    lookup_ids: list[tuple[str, int]]  # (trace id, lines carrying it)
    information: dict[str, float]  # bits of the generator's random choices, by field

    def information_per_line(self, *fields: str) -> float:
        """Bytes a line of information in `fields` (all fields when none are named)."""
        names = fields or tuple(self.information)
        return sum(self.information.get(f, 0.0) for f in names) / 8 / self.lines


# The fields whose information is random hex ids: what no coding can shrink.
ID_FIELDS = ("request_id", "trace_id", "span_id")
# The entry's time and which stream a line goes to: a store keeps them as timestamps per stream.
TIME_FIELDS = ("time", "stream")


class Draws:
    """A seeded generator that counts, for each field, the information its choices carry (bits)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.bits: collections.Counter[str] = collections.Counter()

    def _count(self, field: str | None, bits: float) -> None:
        """`field` None: a choice that does not show in the lines, so it carries nothing."""
        if field is not None:
            self.bits[field] += bits

    def randint(self, field: str | None, low: int, high: int) -> int:
        self._count(field, math.log2(high - low + 1))
        return self.rng.randint(low, high)

    def offset(self, field: str, n: int) -> int:
        """A uniform integer in 1..<n (n at least 2)."""
        self._count(field, math.log2(n - 1))
        return self.rng.randrange(1, n)

    def pick(self, field: str, cumulative: list[int]) -> int:
        """An index drawn with the weights whose running totals are `cumulative`."""
        index = bisect.bisect_right(cumulative, self.rng.random() * cumulative[-1])
        weight = cumulative[index] - (cumulative[index - 1] if index else 0)
        self._count(field, math.log2(cumulative[-1] / weight))
        return index

    def choice(self, field: str | None, options):
        value = self.rng.choice(options)
        self._count(field, math.log2(len(options) / options.count(value)))
        return value

    def weighted(self, field: str | None, options, weights):
        value = self.rng.choices(options, weights)[0]
        self._count(field, math.log2(sum(weights) / weights[options.index(value)]))
        return value

    def chance(self, field: str, p: float) -> bool:
        yes = self.rng.random() < p
        self._count(field, -math.log2(p if yes else 1 - p))
        return yes

    def hex_id(self, field: str, bits: int) -> str:
        self._count(field, bits)
        return f"{self.rng.getrandbits(bits):0{bits // 4}x}"

    def exponential(self, field: str, mean: float, decimals: int) -> float:
        """Exp(1/mean) rounded to `decimals` (counted by the mass of its rounding bin)."""
        value = round(self.rng.expovariate(1 / mean), decimals)
        half = 0.5 * 10 ** -decimals
        mass = math.exp(-max(0.0, value - half) / mean) - math.exp(-(value + half) / mean)
        self._count(field, -math.log2(mass))
        return value

    def lognormal(self, field: str, mu: float, sigma: float, decimals: int) -> float:
        """Lognormal(mu, sigma) rounded to `decimals` (counted by the mass of its rounding bin)."""
        value = round(self.rng.lognormvariate(mu, sigma), decimals)
        half = 0.5 * 10 ** -decimals

        def cdf(x: float) -> float:
            return 0.0 if x <= 0 else 0.5 * (1 + math.erf((math.log(x) - mu) / (sigma * math.sqrt(2))))

        self._count(field, -math.log2(cdf(value + half) - cdf(value - half)))
        return value


def _streams(n_streams: int) -> list[tuple[dict[str, str], str, int]]:
    out = []
    half = n_streams // 2
    for i in range(half):
        app = NGINX_APPS[i % len(NGINX_APPS)]
        labels = {"cluster": "eu-1", "env": "prod", "namespace": "web", "app": app, "container": "nginx",
                  "pod": f"{app}-{i // len(NGINX_APPS):03d}-7f9c"}
        out.append((labels, "nginx", 1 + i % 4))
    for i in range(n_streams - half):
        svc = SERVICES[i % len(SERVICES)]
        labels = {"cluster": "eu-1", "env": "prod", "namespace": "shop", "app": svc, "container": svc,
                  "pod": f"{svc}-{i // len(SERVICES):03d}-5d8b"}
        out.append((labels, "json", 1 + (i * 7) % 4))
    return out


def _varint(v: int) -> bytes:
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _labels_text(labels: dict[str, str]) -> bytes:
    return ("{" + ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}").encode()


def _entry(ns: int, line: bytes) -> bytes:
    ts = _varint(1 << 3) + _varint(ns // 1_000_000_000) + _varint(2 << 3) + _varint(ns % 1_000_000_000)
    return _field(1, ts) + _field(2, line)


def _push_request(batch: dict[int, list[bytes]], label_texts: list[bytes]) -> bytes:
    """logproto.PushRequest{streams = 1: StreamAdapter{labels = 1, entries = 2}}, raw snappy."""
    body = b"".join(_field(1, _field(1, label_texts[s]) + b"".join(_field(2, e) for e in entries))
                    for s, entries in batch.items())
    return bytes(cramjam.snappy.compress_raw(body))


def generate(lines: int, n_streams: int, hours: float, end_ns: int, senders: int, batch_lines: int,
             seed: int = 20250602) -> Workload:
    draws = Draws(seed)
    streams = _streams(n_streams)
    label_texts = [_labels_text(s[0]) for s in streams]
    cumulative = []
    total = 0
    for _, _, weight in streams:
        total += weight
        cumulative.append(total)
    start_ns = end_ns - int(hours * 3600e9)
    spacing = (end_ns - start_ns) // lines
    rare_at = {int(lines * (k + 0.5) / RARE_COUNT) for k in range(RARE_COUNT)}
    lookup_positions = {int(lines * (k + 0.37) / 10) for k in range(10)}
    lookup_counts: dict[str, int] = {}
    follow_ups: collections.deque[str] = collections.deque(maxlen=256)
    levels = {"debug": 0, "info": 0, "warn": 0, "error": 0}
    per_sender: list[dict[int, list[bytes]]] = [{} for _ in range(senders)]
    per_sender_count = [0] * senders
    requests: list[tuple[int, bytes, int]] = []
    raw = 0
    rare_pending = 0
    lookup_pending = 0
    for i in range(lines):
        ns = start_ns + i * spacing + draws.offset("time", max(2, spacing))
        s = draws.pick("stream", cumulative)
        labels, kind, _ = streams[s]
        if i in rare_at:
            rare_pending += 1
        if i in lookup_positions:
            lookup_pending += 1
        if kind == "nginx":
            tm = time.gmtime(ns // 1_000_000_000)
            route = draws.choice("route", ROUTES)
            # The product id is drawn for every line (as it always was), but is in the line only where the
            # route has a place for it.
            route = route.replace("{id}", str(draws.randint("route" if "{id}" in route else None, 1, 99999)))
            status = draws.weighted("status", (200, 201, 204, 301, 304, 400, 401, 404, 429, 500, 502, 503),
                                    (70, 4, 2, 2, 6, 2, 2, 6, 1, 2, 1, 2))
            trace = draws.hex_id("request_id", 128)
            if lookup_pending:
                lookup_counts[trace] = 1
                lookup_pending -= 1
                follow_ups.extend([trace] * 3)
            elif draws.chance("fan-out", 0.25):
                follow_ups.extend([trace] * draws.randint("fan-out", 2, 4))
            method = draws.weighted("method", ("GET", "POST", "PUT", "DELETE"), (75, 17, 5, 3))
            line = (f'10.{draws.randint("client", 0, 255)}.{draws.randint("client", 0, 255)}.'
                    f'{draws.randint("client", 1, 254)} - - '
                    f'[{tm.tm_mday:02d}/{MONTHS[tm.tm_mon - 1]}/{tm.tm_year}:{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d} +0000] '
                    f'"{method} {route} HTTP/1.1" {status} {draws.randint("bytes", 0, 80000)} "-" '
                    f'"{draws.choice("user_agent", AGENTS)}" rt={draws.exponential("rt", 0.08, 3):.3f} '
                    f'uct="0.00{draws.randint("uct", 0, 9)}" request_id={trace}')
        else:
            rare = rare_pending > 0  # a needle line: its level and message are replaced, so they carry nothing
            level = draws.weighted(None if rare else "level", ("debug", "info", "warn", "error"), (10, 75, 10, 5))
            msg = draws.choice(None if rare else "msg", MESSAGES[level])
            if rare:
                level, msg = "error", f"{RARE} on volume pvc-{draws.hex_id('volume', 32)}"
                rare_pending -= 1
            levels[level] += 1
            if follow_ups and draws.chance("trace_id", 0.8):
                trace = follow_ups.popleft()
            else:
                trace = draws.hex_id("trace_id", 128)
            if trace in lookup_counts:
                lookup_counts[trace] += 1
            doc = {"ts": ns, "level": level, "logger": f"{labels['app']}.http", "msg": msg,
                   "method": draws.choice("method", ("GET", "POST")), "route": draws.choice("route", ROUTES),
                   "status": 500 if level == "error" else 200,
                   "duration_ms": draws.lognormal("duration_ms", 3, 1, 2), "trace_id": trace,
                   "span_id": draws.hex_id("span_id", 64), "user_id": f"u{draws.randint('user_id', 1, 50000)}"}
            line = json.dumps(doc, separators=(",", ":"))
        data = line.encode()
        raw += len(data)
        sender = s % senders
        per_sender[sender].setdefault(s, []).append(_entry(ns, data))
        per_sender_count[sender] += 1
        if per_sender_count[sender] >= batch_lines:
            requests.append((sender, _push_request(per_sender[sender], label_texts), per_sender_count[sender]))
            per_sender[sender], per_sender_count[sender] = {}, 0
    for sender in range(senders):
        if per_sender_count[sender]:
            requests.append((sender, _push_request(per_sender[sender], label_texts), per_sender_count[sender]))
    return Workload(streams=[s[0] for s in streams], requests=requests, lines=lines, raw_bytes=raw,
                    start_ns=start_ns, end_ns=end_ns, levels=levels,
                    lookup_ids=sorted(lookup_counts.items()), information=dict(draws.bits))
