## Words shared by pages and emails.

# strftime patterns (chrono): %-d day, %B month name, %Y year, %A weekday, %H:%M time.
date-long = %-d de %B de %Y
date-time = %-d de %B de %Y, %H:%M
# A list of names: "A and B", "A, B and C" ($rest is all but the last, joined by
# list-separator).
list-and = { $rest } y { $last }
list-separator = {", "}
masthead-fallback = Boletín
optional = (opcional)
language-label = Idioma
