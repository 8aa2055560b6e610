import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from municipia.matching.engine.datasets import (
    DatasetError,
    read_groups,
    read_organisations,
    read_pairs,
)
from municipia.matching.engine.evaluation import evaluate, split_pairs
from municipia.matching.engine.tagging import with_auto_themes
from municipia.matching.engine.text import make_backend
from municipia.taxonomy.data import theme_rows


class Command(BaseCommand):
    help = (
        "Evaluate the matching engine as link prediction on real partnerships: recall@10, "
        "recall@50 and MRR of the engine and of simple baselines."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisations", required=True, type=Path, help="organisations.csv")
        parser.add_argument("--pairs", required=True, type=Path, help="pairs.csv (a,b[,split])")
        parser.add_argument("--backend", default="lexical", choices=["lexical", "semantic"])
        parser.add_argument("--model", default=None, help="sentence-transformers model directory")
        parser.add_argument(
            "--seed", type=int, default=0, help="seed of the 80/20 split and sampling"
        )
        parser.add_argument("--no-fit", action="store_true", help="use the hand-set weights")
        parser.add_argument(
            "--pointwise",
            action="store_true",
            help="fit by pointwise logistic regression instead of the pairwise ranker",
        )
        parser.add_argument(
            "--group-folds",
            action="store_true",
            help="fit with folds that keep each group of pairs.csv (a network, a project) "
            "together instead of folds of single pairs",
        )
        parser.add_argument(
            "--auto-tag",
            action="store_true",
            help="give organisations without themes the working groups auto-tagging finds "
            "in their texts, as the directory's profiles get them",
        )
        parser.add_argument("--json", action="store_true", help="print the results as JSON")

    def handle(self, *args, **options):
        try:
            profiles = read_organisations(options["organisations"])
            train, test, everything = read_pairs(options["pairs"])
            groups = read_groups(options["pairs"]) if options["group_folds"] else None
        except (OSError, DatasetError) as error:
            raise CommandError(str(error)) from error
        if test is None:
            train, test = split_pairs(everything, seed=options["seed"])
        if options["auto_tag"]:
            profiles = with_auto_themes(profiles)
        # Working group → impact community, as the directory's engine has it.
        parents = {row["code"]: row["parent_code"] for row in theme_rows() if row["parent_code"]}
        results = evaluate(
            profiles,
            train,
            test,
            backend=make_backend(options["backend"], model=options["model"]),
            theme_parents=parents,
            seed=options["seed"],
            fit=not options["no_fit"],
            pairwise=not options["pointwise"],
            groups=groups,
        )
        if options["json"]:
            self.stdout.write(json.dumps(results))
            return
        self.stdout.write(
            f"{len(profiles)} organisations, {len(train)} training and {len(test)} test pairs"
        )
        rows = [("engine", results["engine"]), *results["baselines"].items()]
        self.stdout.write(f"{'ranker':<16}{'recall@10':>10}{'recall@50':>10}{'MRR':>8}{'n':>7}")
        for name, m in rows:
            self.stdout.write(
                f"{name:<16}{m['recall@10']:>10.4f}{m['recall@50']:>10.4f}{m['mrr']:>8.4f}{m['n']:>7}"
            )
