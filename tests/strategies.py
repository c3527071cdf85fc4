"""Hypothesis strategies for text, shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

LAYOUT_LINES = [
    "# Vores vision er", "## Spor 3", "## Spør 7", "### FÆLLESSKABER", "- ▶ Vi samarbejder med netværket.",
    "- når vi inddrager borgerens netværk", "Vi understøtter ansvar for eget liv:", "## Principper",
    "## Pejlemærke:", "**FOR SAMMEN KAN VI MERE!**", "# Indhold", "<b>Forord</b> .....\t<b>3</b>",
    "Udvalget har særligt fokus på:", "Recovery og rehabilitering", "Visionen for det specialiserede område er:",
    "Udviklingstema\tMål\tAktiviteter\tStatus", "Aktivt medborgerskab\t1) Mål\t1) Aktivitet\tStatus er god",
    "<p>foreningsliv</p>\t<ul><li>- punkt</li></ul>", "3.1 Alle medborgeres resurser Hvad vil vi? At der",
    "Relaterede dokumenter", "Side 5", "1. Indledning... 4 2. Visioner... 5", "", "   ", "22.04.2024",
]

danish_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)
layoutish_text = st.lists(st.one_of(st.sampled_from(LAYOUT_LINES), danish_text.map(lambda t: t[:80])),
                          max_size=40).map("\n".join)
