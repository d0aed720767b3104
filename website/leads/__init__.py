"""重点风险线索统计表 and 风险排查: the risk-lead ledger in seed 002's fixed form and the monthly screening filings (零报送 included) with their reminders."""
