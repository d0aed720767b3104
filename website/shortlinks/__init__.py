"""Short links on the site's own domain (`/s/<code>`): ASCII codes that count scans and clicks per blast, event or campaign channel, and redirect at once."""
