"""Directory: organisations (local and regional governments, national associations,
networks, partners) and the people who work for them.

Every other part of municipia reads organisations through
`directory.selectors` and changes them through `directory.services`.
"""
