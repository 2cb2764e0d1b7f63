## The signup page (also what the embed snippet shows).

signup-title = Anmeldung
signup-heading = { $newsletter } abonnieren
signup-heading-several = Unsere Newsletter abonnieren
signup-lede-several = Wählen Sie aus, was Sie erhalten möchten. Eine einzige E-Mail genügt, um alles zu bestätigen.
signup-form-error =
    { $count ->
        [one] Bitte korrigieren Sie das markierte Feld unten.
       *[other] Bitte korrigieren Sie die markierten Felder unten.
    }
signup-email = E-Mail-Adresse
signup-name = Vorname
signup-newsletters = Newsletter
signup-topics = Themen
signup-topics-hint = Wählen Sie die Themen, die Sie interessieren – oder keines, um alles zu erhalten.
signup-how-often = Wie oft
signup-honeypot = Dieses Feld bitte leer lassen
signup-submit = Abonnieren
signup-fineprint = Wir schicken Ihnen eine E-Mail, um Ihre Adresse zu bestätigen. Ohne Bestätigung kein Newsletter.
signup-accepted = Vielen Dank! Bitte sehen Sie in Ihrem Postfach nach und bestätigen Sie Ihr Abonnement.
signup-archive = Noch unentschlossen? <a href="/archive">Lesen Sie frühere Ausgaben</a>.
# The consent checkbox's label: kept word for word, with its language, as evidence of what
# each reader agreed to. Keep both links.
consent-label = Ich stimme der <a href="{ $privacy_url }">Datenschutzerklärung</a> und den <a href="{ $terms_url }">Nutzungsbedingungen</a> zu. Meine Einwilligung kann ich jederzeit widerrufen.

## Cadence choices, on the signup page and the reader's page. $time is like 08:00, $zone a
## time zone name (Europe/Berlin), $day 0 (Sunday) to 6 (Saturday).

cadence-whenever = Immer dann, wenn die Redaktion eine Ausgabe verschickt
cadence-scheduled = Im gewohnten Rhythmus
cadence-instant-every =
    Sobald Artikel erscheinen, höchstens eine E-Mail { $unit ->
        [hour] { $count ->
            [one] pro Stunde
           *[other] alle { $count } Stunden
        }
       *[minute] { $count ->
            [one] pro Minute
           *[other] alle { $count } Minuten
        }
    }
cadence-daily-at = Einmal täglich um { $time } Uhr ({ $zone })
cadence-weekly-at =
    Einmal wöchentlich, { $day ->
        [0] sonntags
        [1] montags
        [2] dienstags
        [3] mittwochs
        [4] donnerstags
        [5] freitags
       *[6] samstags
    } um { $time } Uhr ({ $zone })
cadence-short-scheduled = Im gewohnten Rhythmus des jeweiligen Newsletters
cadence-short-instant = Sobald Artikel erscheinen
cadence-short-daily = Einmal täglich
cadence-short-weekly = Einmal wöchentlich
cadence-offered-by = Angeboten von { $newsletters }

## After the form: check your inbox.

thanks-title = Bitte prüfen Sie Ihr Postfach
thanks-sent-to = Vielen Dank für Ihre Anmeldung! Wir haben Ihnen an <strong>{ $email }</strong> eine E-Mail mit einem Link geschickt, mit dem Sie Ihr Abonnement bestätigen.
thanks-sent = Vielen Dank für Ihre Anmeldung! Wir haben Ihnen eine E-Mail mit einem Link geschickt, mit dem Sie Ihr Abonnement bestätigen.
thanks-from = Die E-Mail kommt von <strong>{ $from }</strong> und kann ein, zwei Minuten unterwegs sein; falls sie nicht ankommt, sehen Sie bitte in Ihrem Spam-Ordner nach.
thanks-archive = In der Zwischenzeit können Sie <a href="/archive">frühere Ausgaben lesen</a>.
thanks-already = Falls Sie bereits angemeldet waren, ändert sich nichts: Sie erhalten { $newsletter } weiterhin wie gewohnt.

## The confirmation link's page (the button that confirms) and the page after it.

confirm-title = Abonnement bestätigen
confirm-heading = Ein letzter Schritt
confirm-text = Bitte bestätigen Sie mit einem Klick auf die Schaltfläche, dass Sie { $newsletter } erhalten möchten.
confirm-button = Abonnement bestätigen
confirm-fineprint = Sie haben sich gar nicht angemeldet? Dann schließen Sie diese Seite einfach: Ohne Bestätigung erhalten Sie nichts von uns.
confirmed-title = Abonnement bestätigt
confirmed-heading = Sie sind angemeldet
confirmed-already = Sie hatten diese Adresse bereits bestätigt, es ist also nichts weiter zu tun: Ihr Abonnement für { $newsletter } ist aktiv.
confirmed-text = Vielen Dank! Ihr Abonnement für { $newsletter } ist bestätigt. Die nächste Ausgabe landet bald in Ihrem Postfach.
confirmed-archive = Bis dahin können Sie <a href="/archive">frühere Ausgaben lesen</a>.
confirmed-fineprint = Jede E-Mail enthält einen Link, mit dem Sie sich mit einem Klick abmelden können.

## A confirmation link that cannot be used. The page shows one of the reasons, then
## link-invalid-lifetime.

link-invalid-title = Link ungültig
link-invalid-heading = Dieser Link kann nicht verwendet werden
link-invalid-expired = Dieser Bestätigungslink ist abgelaufen.
link-invalid-used = Dieser Bestätigungslink wurde bereits verwendet.
link-invalid-unknown = Diesen Bestätigungslink kennen wir nicht.
link-invalid-lifetime = Bestätigungslinks funktionieren nur einmal und nur für begrenzte Zeit.
link-invalid-again = Wenn Sie { $newsletter } erhalten möchten, <a href="/">melden Sie sich bitte erneut an</a>; wir schicken Ihnen dann einen neuen Link.

## Leaving by address: for a reader whose unsubscribe link does not work, or who came to
## leave without one. They get an email with a fresh link.

leave-broken-title = Dieser Link funktioniert nicht
leave-broken-text = Wir konnten diesen Abmeldelink keinem Abonnement zuordnen. E-Mail-Programme verändern oder kürzen Links manchmal, und Links funktionieren nicht mehr, wenn eine Adresse aus unserem Verteiler entfernt wurde.
leave-by-address-heading = Mit Ihrer E-Mail-Adresse abmelden
leave-title = Abmelden
leave-lede = Geben Sie Ihre Adresse ein, und wir schicken Ihnen per E-Mail einen neuen Abmeldelink. Er geht nur an diese Adresse, sodass niemand eine andere Person abmelden kann.
leave-email = E-Mail-Adresse
leave-submit = Link per E-Mail anfordern
leave-sent-title = Bitte prüfen Sie Ihr Postfach
# $email is the address as typed, partly hidden: a***@example.com.
leave-sent-text = Wenn { $email } im Verteiler von { $newsletter } steht, haben wir an diese Adresse eine E-Mail mit einem Abmeldelink geschickt. Das kann ein, zwei Minuten dauern; falls nichts ankommt, sehen Sie bitte in Ihrem Spam-Ordner nach.

## The reader's own page (the unsubscribe link of every email): leaving, their newsletters
## with topics and cadence, their name, language and data. $email is their address, partly
## hidden (a***@example.com); $newsletter a newsletter's name.

preferences-title = Ihr Abonnement
preferences-left-heading = Sie haben { $newsletter } abbestellt
preferences-left-text = { $newsletter } wird nicht mehr an <strong>{ $email }</strong> geschickt. Ihre anderen Newsletter kommen weiterhin: Unten können Sie sie ändern oder abbestellen.
preferences-leave-heading = Möchten Sie { $newsletter } abbestellen?
# What the button at the top does when they get other newsletters too.
preferences-leave-one = Klicken Sie auf die Schaltfläche, dann wird { $newsletter } nicht mehr an <strong>{ $email }</strong> geschickt. Ihre anderen Newsletter kommen weiterhin: Unten können Sie sie ändern oder abbestellen.
preferences-leave-all = Klicken Sie auf die Schaltfläche, dann erhält <strong>{ $email }</strong> keine E-Mails mehr von uns.
preferences-unsubscribe = Abmelden
# Said as the newsletter's name in preferences-leave-heading when the button leaves several.
preferences-all-newsletters = alle unsere Newsletter
preferences-unsubscribed-heading = Sie sind von { $newsletter } abgemeldet
preferences-unsubscribed-text = <strong>{ $email }</strong> erhält keine E-Mails von uns. Haben Sie es sich anders überlegt? Sie können sich jederzeit <a href="/">wieder anmelden</a>; wir bitten Sie dann per E-Mail um Bestätigung.
preferences-newsletters-heading = Ihre Newsletter
preferences-newsletters-lede = Wählen Sie für jeden Newsletter die gewünschten Themen und wie oft er kommen soll. Ist kein Thema ausgewählt, erhalten Sie alles, was er verschickt.
preferences-choice-error =
    { $count ->
        [one] Bitte korrigieren Sie die markierte Angabe unten.
       *[other] Bitte korrigieren Sie die markierten Angaben unten.
    }
preferences-topics = Themen
preferences-topics-none = (keines ausgewählt: alles)
preferences-how-often = Wie oft
# The part in the span is read out by screen readers only.
preferences-save-choices = Auswahl speichern<span class="visually-hidden"> für { $newsletter }</span>
preferences-leave-newsletter = { $newsletter } abbestellen
preferences-leave-all-lede = Oder Sie beenden alles: Dann erhalten Sie überhaupt keine E-Mails mehr von uns.
preferences-leave-all-button = Alle abbestellen
# Where the reader stands on one newsletter, under its name.
preferences-summary-pending = Wartet auf Ihre Bestätigung: Bitte suchen Sie nach unserer E-Mail mit dem Link.
preferences-summary-left = Diesen Newsletter haben Sie abbestellt.
# $when is one of the cadence-* messages with its first letter made lower case; $topics is
# the topics' names joined by list-separator, or preferences-every-topic.
preferences-summary = Ihr Abonnement: { $when }; { $topics }.
preferences-every-topic = alle Themen
preferences-details-heading = Ihre Angaben
preferences-name = Ihr Name für die Anrede
preferences-name-optional = (leer lassen für keinen Namen)
preferences-save-name = Name speichern
preferences-save-language = Sprache speichern
preferences-data-text = Möchten Sie eine Kopie aller Daten, die wir über Sie gespeichert haben – Ihre Angaben, den Nachweis Ihrer Einwilligung und die E-Mails, die wir Ihnen geschickt haben? Wir schicken sie Ihnen als Datei an Ihre Adresse; auf dieser Seite wird sie nie angezeigt.
preferences-data-button = Meine Daten per E-Mail anfordern
# Notices after a change.
preferences-saved-name = Gespeichert. Ab der nächsten E-Mail sprechen wir Sie mit diesem Namen an.
# $language is the language's own name (Deutsch, Français); the page is already in it.
preferences-saved-language = Gespeichert. Ab jetzt schreiben wir Ihnen auf { $language }.
preferences-data-sent = Unterwegs: Wir schicken eine Kopie Ihrer Daten an Ihre Adresse. Es kann ein paar Minuten dauern, bis sie ankommt.
preferences-data-limit = Sie haben Ihre Daten heute schon dreimal angefordert. Bitte sehen Sie in Ihrem Postfach (und im Spam-Ordner) nach den Kopien, oder fordern Sie sie morgen erneut an.
preferences-saved-choice = Gespeichert. Ab der nächsten E-Mail gilt für { $newsletter } Ihre neue Auswahl.
# Said as $newsletter in preferences-saved-choice and preferences-left-one when the
# newsletter is no longer known.
preferences-the-newsletter = den Newsletter
preferences-left-one = Erledigt: Sie haben { $newsletter } abbestellt.
preferences-left-every = Erledigt: Sie haben alle unsere Newsletter abbestellt.

## After leaving with the button or a mail program's one-click request.

unsubscribed-title = Abgemeldet
unsubscribed-heading = Sie sind abgemeldet
unsubscribed-text = Sie erhalten keine E-Mails mehr von { $newsletter }. Schade, dass Sie gehen.
# $link leads to the reader's own page.
unsubscribed-others = Ihre anderen Newsletter kommen weiterhin. <a href="{ $link }">Hier können Sie sie ändern oder abbestellen</a>.
unsubscribed-again = Haben Sie es sich anders überlegt? Sie können sich jederzeit <a href="/">wieder anmelden</a>.
unsubscribed-data = Möchten Sie eine Kopie der Daten, die wir über Sie gespeichert haben? <a href="{ $link }">Hier können Sie sie anfordern</a>.

## The public archive of past issues, and one issue's web version.

archive-title = Archiv
archive-heading = Frühere Ausgaben
# After the publication's own description.
archive-lede = Hier finden Sie alles, was bisher erschienen ist – <a href="/">melden Sie sich an</a>, um die nächste Ausgabe zu erhalten.
archive-empty = Bisher ist noch nichts erschienen.
archive-feed = <a href="/archive.xml">Atom-Feed</a> der früheren Ausgaben.
archive-by = Von { $author }
archive-sign-up = <a href="/">Abonnieren Sie { $newsletter }</a>, um die nächste Ausgabe per E-Mail zu erhalten.

## What the embedded signup form's script says while and after it sends the form.

embed-sending = Wird gesendet …
embed-failed = Etwas ist schiefgelaufen; bitte versuchen Sie es noch einmal.
