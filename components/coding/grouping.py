"""Which sentences of a report tell of which strike: the main event and the second events
(the splitting rule is told in coder.py)."""

from __future__ import annotations

from components.coding.numbers import casualty_figures
from components.coding.strikes import StrikeWord, actors_in, is_general, strike_words
from components.coding.text import Report, Sentence


def event_groups(report: Report) -> list[tuple[str, list[Sentence]]]:
    """(event type, its sentences) per event, main event first (see the module's rule)."""
    typed: dict[str, list[Sentence]] = {}
    untyped: list[Sentence] = []
    headline = _headline(report)
    for sentence in report.sentences:
        words = strikes_in(sentence)
        if words and sentence.index != headline:
            typed.setdefault(words[0].event_type, []).append(sentence)
        else:
            untyped.append(sentence)
    if not typed:
        if headline is not None and strikes_in(report.sentences[headline]):
            return [(strikes_in(report.sentences[headline])[0].event_type, list(report.sentences))]
        return [("", list(report.sentences))]
    types = list(typed)
    main_type = types[0]
    main = list(typed[main_type])
    main_actor = _first_actor(typed[main_type])
    groups = [(main_type, main)]
    general = all(is_general(w) for x in main for w in strikes_in(x) if w.event_type == main_type)
    for other in types[1:]:
        sentences = typed[other]
        if _stands_alone(sentences, main_actor, report.language) and not _tells_more(
            report, main, sentences
        ):
            groups.append((other, sentences))
        else:
            main.extend(sentences)
            if general:  # "el bombardeo de una escuela" ... "atribuyó el ataque a la artillería"
                groups[0] = (other, main)
                general = False
    owner = {x.index: number for number, (_, group) in enumerate(groups) for x in group}
    for sentence in untyped:
        groups[_continued_event(report, sentence, owner)][1].append(sentence)
    return [(kind, sorted(group, key=lambda x: x.index)) for kind, group in groups]


def _headline(report: Report) -> int | None:
    """The index of the headline: a first line without closing punctuation, followed by the
    report's text. It sums up the lead's strike in vaguer words ("bombardement" for a
    missile strike), so the lead, not the headline, gives the main event its type."""
    if len(report.sentences) < 2:
        return None
    first = report.sentences[0]
    if "\n" not in report.body[first.end : report.sentences[1].start]:
        return None
    return None if first.text.rstrip()[-1:] in ".!?…" else 0


def _continued_event(report: Report, sentence: Sentence, owner: dict[int, int]) -> int:
    """The event a sentence without a strike word talks about: the one of the sentence just
    before it in its paragraph if that is a second event's, else the main event."""
    for before in range(sentence.index - 1, -1, -1):
        previous = report.sentences[before]
        if "\n" in report.body[previous.end : sentence.start]:
            return 0
        if before in owner:
            return owner[before]
    return 0


def _stands_alone(sentences: list[Sentence], main_actor: str, language: str) -> bool:
    actor = _first_actor(sentences)
    # With no striker named for the main event, naming one later says who carried it out.
    if actor and main_actor and actor != main_actor:
        return True
    return any(casualty_figures(sentence.text, language) for sentence in sentences)


def _tells_more(report: Report, main: list[Sentence], sentences: list[Sentence]) -> bool:
    """Whether another strike word's sentences give the toll of a main event that states
    none, right after it in its paragraph with no striker of their own ("A drone strike hit
    the airport. Ten people were killed when missiles hit two cars")."""
    if _first_actor(sentences) or any(
        casualty_figures(sentence.text, report.language) for sentence in main
    ):
        return False
    first, last_main = sentences[0], max(x.end for x in main)
    return last_main <= first.start and "\n" not in report.body[last_main : first.start]


def _first_actor(sentences: list[Sentence]) -> str:
    for sentence in sentences:
        words = strike_words(sentence.text)  # offsets within the sentence, as actors_in reads
        actor = actors_in(sentence.text, words[0] if words else None).actor1
        if actor:
            return actor
    return ""


def strikes_in(sentence: Sentence) -> list[StrikeWord]:
    """Strike words of a sentence, with offsets in the body."""
    return [
        StrikeWord(sentence.start + w.start, sentence.start + w.end, w.text, w.event_type)
        for w in strike_words(sentence.text)
    ]
