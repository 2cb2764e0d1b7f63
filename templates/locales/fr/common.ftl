## Words shared by pages and emails.

# strftime patterns (chrono): %-d day, %B month name, %Y year, %A weekday, %H:%M time.
date-long = %-d %B %Y
date-time = %-d %B %Y à %H:%M
# A list of names: "A and B", "A, B and C" ($rest is all but the last, joined by
# list-separator).
list-and = { $rest } et { $last }
list-separator = {", "}
masthead-fallback = Newsletter
optional = (facultatif)
language-label = Langue
