"""风险信号: the red-flag checker that reads a pasted pitch and shows the marks of illegal fundraising in it."""
