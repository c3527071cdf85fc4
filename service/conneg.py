"""Content negotiation: pick the best offered media type for an Accept header (RFC 9110 q-values)."""

from __future__ import annotations


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first; an absent header accepts anything."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    out: list[tuple[str, float, int]] = []
    for i, part in enumerate(header.split(",")):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        if not media:
            continue
        q = 1.0
        for param in bits[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        out.append((media, q, i))
    # More specific ranges win ties: type/sub > type/* > */*.
    out.sort(key=lambda m: (-m[1], m[0].count("*"), m[2]))
    return [(m, q) for m, q, _ in out]


def _matches(media_range: str, offer: str) -> bool:
    if media_range in ("*/*", "*"):
        return True
    rtype, _, rsub = media_range.partition("/")
    otype, _, osub = offer.partition("/")
    return rtype == otype and (rsub == "*" or rsub == osub)


def negotiate(header: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers most (offers order breaks ties); None when nothing acceptable is offered."""
    best: tuple[float, int, str] | None = None
    ranges = parse_accept(header)
    for idx, offer in enumerate(offers):
        q_offer = 0.0
        specificity = -1
        for media, q in ranges:
            if _matches(media, offer):
                spec = 2 - media.count("*")
                if spec > specificity:
                    specificity, q_offer = spec, q
        if q_offer > 0 and (best is None or q_offer > best[0]):
            best = (q_offer, idx, offer)
    return best[2] if best else None


def preferred_language(header: str | None, offers: list[str]) -> str | None:
    """The offered language the client prefers most (RFC 4647 basic filtering: "da-DK" and "da" both accept
    "da"); None when the header is absent or names none of ``offers``."""
    if not header or not header.strip():
        return None
    best: tuple[float, int, str] | None = None
    for idx, offer in enumerate(offers):
        q_offer = 0.0
        specificity = -1
        for tag, q in parse_accept(header):
            if tag == "*" or tag == offer or tag.startswith(offer + "-") or offer.startswith(tag + "-"):
                spec = 0 if tag == "*" else len(tag)
                if spec > specificity:
                    specificity, q_offer = spec, q
        if q_offer > 0 and (best is None or q_offer > best[0]):
            best = (q_offer, idx, offer)
    return best[2] if best else None
