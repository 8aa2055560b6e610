from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from municipia.matching.engine.datasets import convert_interreg, convert_urbact

CONVERTERS = {"urbact": convert_urbact, "interreg": convert_interreg}


class Command(BaseCommand):
    help = (
        "Convert a real partnership data set (URBACT network co-membership or Interreg "
        "2014-2020 co-partners, as in ../shared/data) to organisations.csv and pairs.csv "
        "for evaluate_matching."
    )

    def add_arguments(self, parser):
        parser.add_argument("dataset", choices=sorted(CONVERTERS))
        parser.add_argument("source", type=Path, help="directory of the original files")
        parser.add_argument("output", type=Path, help="directory to write the two CSV files to")
        parser.add_argument(
            "--validation",
            action="store_true",
            help="only the training part, split again: for choosing signals and settings "
            "without looking at the test pairs",
        )
        parser.add_argument(
            "--validation-seed",
            type=int,
            default=None,
            help="Interreg only: the seed of the validation split of the training projects "
            "(1 by default); other seeds give other validation splits",
        )

    def handle(self, *args, dataset, source, output, validation=False, **options):
        extra = {}
        if options.get("validation_seed") is not None:
            if dataset != "interreg" or not validation:
                raise CommandError(
                    "--validation-seed needs --validation and the interreg data set "
                    "(URBACT's validation split is by year)."
                )
            extra["validation_seed"] = options["validation_seed"]
        try:
            organisations, pairs = CONVERTERS[dataset](
                source, output, validation=validation, **extra
            )
        except (OSError, KeyError) as error:
            raise CommandError(f"Cannot read {source}: {error}") from error
        self.stdout.write(f"Wrote {organisations} and {pairs}")
