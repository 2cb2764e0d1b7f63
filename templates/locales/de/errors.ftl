## Messages shown beside a form field (and in the API's "fields"), in sentence case without a
## final full stop: pages add one.

error-email-control-chars = eine E-Mail-Adresse darf keine Zeilenumbrüche oder Steuerzeichen enthalten
error-email-empty = bitte geben Sie Ihre E-Mail-Adresse ein
error-email-too-long = diese E-Mail-Adresse ist zu lang (höchstens 254 Zeichen)
error-email-no-at = eine E-Mail-Adresse braucht ein @, etwa name@example.com
error-email-incomplete = bitte geben Sie eine vollständige Adresse ein, etwa name@example.com
error-email-local-too-long = der Teil vor dem @ ist zu lang (höchstens 64 Zeichen)
error-email-invalid = das sieht nicht nach einer E-Mail-Adresse aus
error-email-bad-domain = die Domain dieser Adresse ist ungültig
error-email-no-full-domain = bitte verwenden Sie eine Adresse mit vollständigem Domainnamen, etwa name@example.com
error-name-too-long = Ihr Name darf höchstens 100 Zeichen lang sein
error-control-chars = Zeilenumbrüche und Steuerzeichen sind nicht erlaubt
error-consent = bitte setzen Sie das Häkchen, um der Datenschutzerklärung und den Nutzungsbedingungen zuzustimmen
error-source-chars = erlaubt sind nur Buchstaben, Ziffern und - _ . : /
error-source-too-long = höchstens 64 Zeichen
error-topic-invalid = „{ $topic }“ ist kein gültiges Thema: verwenden Sie höchstens 40 Zeichen aus Buchstaben a–z, Ziffern und Bindestrichen, z. B. „lokale-nachrichten“
error-too-many-topics = höchstens { $count } Themen
error-too-many-newsletters = höchstens 20 Newsletter
error-newsletter-unknown = es gibt keinen Newsletter „{ $slug }“
error-choose-newsletter = bitte wählen Sie mindestens einen Newsletter aus
error-choose-listed = bitte wählen Sie eine der aufgeführten Möglichkeiten
error-cadence-not-offered = { $newsletter } bietet „{ $cadence }“ nicht an; zur Auswahl: { $offered }
error-locale-invalid = „{ $locale }“ ist kein Sprachcode wie „de“ oder „pt-BR“

## Headings of error pages.

error-title-not-found = Diese Seite konnten wir nicht finden
error-title-too-many = Zu viele Versuche
error-title-sign-in = Bitte melden Sie sich an
error-title-expired = Dieses Formular ist abgelaufen
error-title-conflict = Das war leider nicht möglich
error-title-busy = Wir sind gerade ausgelastet
error-title-check = Bitte prüfen Sie Ihre Angaben
error-title-unexpected = Etwas ist schiefgelaufen
error-back-to-signup = Zurück zur Anmeldeseite
error-topic-not-covered = keiner der gewählten Newsletter behandelt das Thema { $topic }; entfernen Sie das Häkchen oder wählen Sie einen weiteren Newsletter aus

## What an error page says under its heading, when the problem is not in what the reader sent.

error-message-not-found = Die gesuchte Seite gibt es hier nicht. Prüfen Sie die Adresse oder gehen Sie zurück.
error-message-rate-limited = Zu viele Anmeldungen aus Ihrem Netzwerk; bitte versuchen Sie es später noch einmal.
error-message-busy = Der Dienst ist gerade ausgelastet; bitte versuchen Sie es gleich noch einmal.
error-message-unexpected = Bei uns ist etwas schiefgelaufen; bitte versuchen Sie es später noch einmal.

## The reader's choices for one of their newsletters, on their own page.

# $cadence is what the form sent; $offered the newsletter's cadences (cadence-* messages, first
# letter in lower case) joined by error-cadence-choose-separator.
error-cadence-choose = { $newsletter } gibt es nicht im Rhythmus „{ $cadence }“; zur Auswahl: { $offered }
error-cadence-choose-separator = {" oder "}
error-topic-not-offered = { $newsletter } hat kein Thema „{ $topic }“
error-choose-after-confirming = Sie können erst wählen, wenn Sie { $newsletter } erhalten: Bestätigen Sie zuerst Ihre Anmeldung oder melden Sie sich erneut an
