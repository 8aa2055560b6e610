"""Partnerships: the partnerships organisations record with each other (twinnings,
thematic and peer-learning partnerships, solidarity, development cooperation) and
the conversations their editors hold before and while they work together.

Owns `Partnership` (one per unordered pair of organisations and kind),
`Conversation` (one per unordered pair), `Message` and `ConversationReadMark`;
the services that record partnerships, open conversations and send messages;
the selectors the matching engine reads (`partnership_pairs`, `partners_of`);
the pages of conversations and partnerships, and `import_partnerships`.
"""
