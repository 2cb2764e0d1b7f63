## Words shared by pages and emails.

# strftime patterns (chrono): %-d day, %B month name, %Y year, %A weekday, %H:%M time.
date-long = %-d. %B %Y
date-time = %-d. %B %Y, %H:%M
# A list of names: "A and B", "A, B and C" ($rest is all but the last, joined by
# list-separator).
list-and = { $rest } und { $last }
list-separator = {", "}
masthead-fallback = Newsletter
optional = (optional)
language-label = Sprache
