"""Fit the matching engine's weights on recorded partnerships and swipes."""

from django.core.management.base import BaseCommand

from municipia.matching.services import fit_scoring_model


class Command(BaseCommand):
    help = (
        "Fit the matching engine's signal weights on the recorded partnerships and swipe "
        "outcomes, store the version with its evaluation, and make it active when it ranks "
        "held-out partnerships at least as well as the hand-set weights."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0, help="seed of the held-out split")
        parser.add_argument(
            "--no-activate", action="store_true", help="store the version without using it"
        )

    def handle(self, *args, **options):
        version = fit_scoring_model(seed=options["seed"], activate=not options["no_activate"])
        figures = version.evaluation
        self.stdout.write(
            f"Scoring model {version.version} ({version.parameters.get('source')}): "
            f"{figures.get('partnerships', 0)} partnerships, {figures.get('likes', 0)} likes, "
            f"{figures.get('passes', 0)} passes."
        )
        for name in ("fitted", "hand_set"):
            if name in figures:
                m = figures[name]
                self.stdout.write(
                    f"  {name:<9} recall@10 {m['recall@10']:.4f}  recall@50 {m['recall@50']:.4f}"
                    f"  MRR {m['mrr']:.4f}  ({m['n']} held-out rankings)"
                )
        state = "active" if version.is_active else "stored, not active"
        self.stdout.write(f"{state}: {figures.get('why', '')}.")
