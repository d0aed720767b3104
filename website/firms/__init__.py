"""警示名单 / 持牌机构: the lists of firms staff keep, and the public lookup by name, alias or 统一社会信用代码."""
