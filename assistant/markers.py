"""Citation markers in generated text, and cutting a token stream into sentences.

Models write markers many ways: ``[2]``, ``[1, 3]``, ``[1][3]``, ``[Passage 2]``, ``【2】``,
``(source 2)``, ``[^2]``. Those are read; out-of-range numbers and anything else that looks
like a marker (``[n]``, ``[?]``, ``[citation needed]``, an unclosed ``[3``) are removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.sentences import sentence_spans

_LIST = r"\d{1,3}(?:\s*(?:,|;|and|&|-|–)\s*\d{1,3})*"
_WORDS = r"(?:passages?|sources?|docs?|documents?|refs?|references?|citations?)"
_MARKER = re.compile(
    rf"[\[【]\s*\^?\s*(?:{_WORDS}\s*#?\s*)?({_LIST})\s*[\]】]|\(\s*{_WORDS}\s*#?\s*({_LIST})\s*\)",
    re.I,
)
_MALFORMED = re.compile(
    r"\[[^\[\]\n]{0,24}\](?!\()|【[^】\n]{0,24}】|\[\s*\^?\s*\d*\s*$|\[\s*\^?\s*\d+(?=[\s.,;]|$)"
)
_LEADING_MARKERS = re.compile(rf"(?:\s*(?:{_MARKER.pattern}))+", re.I)  # used with .match
_BULLET = re.compile(r"^\s*(?:[-*•]+|\d{1,2}[.)]|#+)\s+")
_EMPHASIS = re.compile(r"\*\*|__|`")


@dataclass(frozen=True)
class Marked:
    """A sentence without its markers, the passage numbers it cites (1-based, in range), and
    how many markers were removed as out of range or malformed."""

    text: str
    cited: tuple[int, ...]
    out_of_range: int = 0
    malformed: int = 0


def _numbers(group: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"\s*(?:,|;|and|&)\s*", group):
        bounds = re.split(r"\s*[-–]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            lo, hi = int(bounds[0]), int(bounds[1])
            out.extend(range(lo, hi + 1) if 0 < hi - lo < 10 else [lo, hi])
        elif part.strip().isdigit():
            out.append(int(part))
    return out


def read_markers(sentence: str, passages: int) -> Marked:
    """Split ``sentence`` into its text and the passage numbers it cites."""
    cited: list[int] = []
    out_of_range = 0

    def take(m: re.Match[str]) -> str:
        nonlocal out_of_range
        for n in _numbers(m.group(1) or m.group(2)):
            if 1 <= n <= passages:
                if n not in cited:
                    cited.append(n)
            else:
                out_of_range += 1
        return " "

    text = _MARKER.sub(take, sentence)
    text, malformed = _MALFORMED.subn(" ", text)
    text = _EMPHASIS.sub("", _BULLET.sub("", text))
    text = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    return Marked(text, tuple(cited), out_of_range, malformed)


class SentenceStream:
    """Feed it text as it streams; it hands back each sentence once the next one has begun
    (markers written after the full stop stay with their sentence)."""

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, text: str) -> list[str]:
        self._buffer += text
        done: list[str] = []
        while "\n" in self._buffer:
            line, self._buffer = self._buffer.split("\n", 1)
            done.extend(self._split(line, final=True))
        done.extend(self._split(self._buffer, final=False))
        return done

    def flush(self) -> list[str]:
        rest, self._buffer = self._buffer, ""
        return self._split(rest, final=True)

    def _split(self, line: str, final: bool) -> list[str]:
        spans = sentence_spans(line)
        sentences: list[str] = []
        cut = 0
        for i, (s, e) in enumerate(spans):
            s = max(s, cut)
            if not final:
                if i == len(spans) - 1:
                    break
                # Wait until the next sentence has begun with words, not only markers.
                lead = _LEADING_MARKERS.match(line, e)
                after = line[lead.end() if lead else e :].lstrip()
                if i == len(spans) - 2 and (not after or after[0] in "[【("):
                    break
            sentence = line[s:e]
            follow = _LEADING_MARKERS.match(line, e)
            if follow:
                sentence, e = line[s : follow.end()], follow.end()
            if sentences and _LEADING_MARKERS.fullmatch(sentence.strip()):
                sentences[-1] += " " + sentence.strip()
            else:
                sentences.append(sentence)
            cut = e
        if not final:
            # Keep the unfinished sentence (and anything after the last cut) buffered.
            self._buffer = line[cut:] if spans else line
        return [s.strip() for s in sentences if s.strip()]
