"""manage.py import_partnerships: bulk import of existing partnerships from CSV/XLSX."""

from municipia.directory.imports.command import ImportCommand
from municipia.partnerships import imports


class Command(ImportCommand):
    help = (
        "Import partnerships (e.g. existing twinnings) from a CSV (UTF-8) or XLSX file with the "
        "columns organisation, partner, kind and optionally started_on, status, themes. "
        "Organisations are named by address (slug), GeoNames id or “name, country”. Every "
        "row is checked first; a file with any problem writes nothing."
    )

    def run_import(self, file, dry_run, **options):
        return imports.import_file(actor=None, file=file, filename=file.name, dry_run=dry_run)
