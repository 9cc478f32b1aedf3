"""党建品牌专栏的领域层：内容模型、校验、索引和页面规划。

This package must never import MkDocs: the MkDocs hooks in ``hooks/column_hooks.py`` are thin
adapters around it, so the core can be tested on its own and moved to another generator later.
"""
