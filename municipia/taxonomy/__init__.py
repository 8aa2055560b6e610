"""Taxonomy: the network's themes (impact communities, their working groups and the
cross-cutting groups) and the 17 UN Sustainable Development Goals.

Both are reference data, loaded by a data migration from `taxonomy.data`, with
labels and short descriptions in every interface language.
"""
