## Emails: confirmation, welcome, digest, data export, unsubscribe link.
##
## Each email has an HTML part and a plain-text part. Messages ending in -text are for the
## plain-text part: no markup, and where they end in a colon the address follows after them.
## In messages holding links, keep each <a ...> tag and its attributes exactly as they are
## (`style` carries the link's colour): translate only the words between <a ...> and </a>.

## Words every email uses.

# The first line of an email. $name is the reader's name as they gave it.
email-hello-name = Hallo { $name },
email-hello = Guten Tag,
# The footer of emails to a newsletter's readers. $newsletter is its name, $public_url the
# address of the publication's site (also the link's words).
email-why = Sie erhalten diese E-Mail, weil Sie { $newsletter } auf <a href="{ $public_url }" style="{ $link_style }">{ $public_url }</a> abonniert und Ihre Adresse bestätigt haben.
email-why-text = Sie erhalten diese E-Mail, weil Sie { $newsletter } auf { $public_url } abonniert und Ihre Adresse bestätigt haben.
# How long a link keeps working: $count of $unit (day, hour or minute), as in "48 hours".
email-lifetime =
    { $unit ->
        [day]
            { $count ->
                [one] { $count } Tag
               *[other] { $count } Tage
            }
        [hour]
            { $count ->
                [one] { $count } Stunde
               *[other] { $count } Stunden
            }
       *[minute]
            { $count ->
                [one] { $count } Minute
               *[other] { $count } Minuten
            }
    }

## The confirmation email (double opt-in). $newsletters is what the reader is confirming:
## one newsletter's name, or several as a list ("The Daily and The Weekend Read").

confirm-email-subject = Bitte bestätigen Sie Ihr Abonnement für { $newsletters }
confirm-email-title = Bitte bestätigen Sie Ihr Abonnement
# Follows "Hello NAME," on the line above (hence no capital letter in English).
confirm-email-ask = bitte bestätigen Sie, dass Sie { $newsletters } erhalten möchten.
confirm-email-button = Abonnement bestätigen
# The confirmation link follows on the next line.
confirm-email-copy-link = Oder kopieren Sie diesen Link in Ihren Browser:
# $lifetime is how long the link works (email-lifetime: "48 hours").
confirm-email-expires = Der Link funktioniert nur einmal und ist { $lifetime } lang gültig.
confirm-email-not-you = Falls Sie sich nicht angemeldet haben, ignorieren Sie diese E-Mail einfach: Ohne Bestätigung erhalten Sie nichts von uns.
# $data_url opens the reader's page, where they can ask for a copy of their data.
confirm-email-data = Wenn Sie wissen möchten, welche Daten wir über Sie gespeichert haben, <a href="{ $data_url }" style="{ $link_style }">fordern Sie eine Kopie Ihrer Daten an</a>; wir schicken sie Ihnen per E-Mail.
# Follows "Hello NAME,"; the confirmation link follows on a line of its own.
confirm-email-ask-text = bitte bestätigen Sie, dass Sie { $newsletters } erhalten möchten. Öffnen Sie dazu diesen Link und klicken Sie auf der Seite auf die Schaltfläche:
confirm-email-data-text = Eine Kopie der Daten, die wir über Sie gespeichert haben, können Sie hier anfordern (wir schicken sie Ihnen per E-Mail):

## The welcome email, sent once a reader confirms a newsletter that has a welcome text. The
## text is the editors' own; these are the words around it. $newsletter is the newsletter's
## name.

# The subject (and title) when the editors gave the welcome none of its own.
welcome-email-subject = Willkommen bei { $newsletter }
welcome-email-button = Ihre Auswahl anpassen
# $reader_url opens the reader's own page.
welcome-email-your-page = Auf <a href="{ $reader_url }" style="{ $link_style }">Ihrer persönlichen Seite</a> können Sie Themen wählen und festlegen, wie oft Sie von uns hören, sich abmelden oder eine Kopie Ihrer Daten anfordern.
welcome-email-your-page-text = Auf Ihrer persönlichen Seite können Sie Themen wählen und festlegen, wie oft Sie von uns hören, sich abmelden oder eine Kopie Ihrer Daten anfordern:

## Digest emails. The articles, the subject and the editors' note above the articles are the
## editors'; these are the words around them.

digest-view-in-browser = Im Browser ansehen
digest-view-in-browser-text = Im Browser ansehen:
# The line above the articles. $name is the reader's name as they gave it.
digest-hello-name = Hallo { $name }, hier ist neuer Lesestoff für Sie.
digest-hello = Guten Tag, hier ist neuer Lesestoff für Sie.
# Told once to a reader who agreed to older versions of the policies. The versions are the
# publication's labels, like "2026-11".
digest-policy-changed = Wir haben unsere <a href="{ $privacy_url }" style="{ $link_style }">Datenschutzerklärung</a> (Version { $privacy_version }) und unsere <a href="{ $terms_url }" style="{ $link_style }">Nutzungsbedingungen</a> (Version { $terms_version }) aktualisiert. Wenn Sie damit nicht einverstanden sind, können Sie sich jederzeit über den Link unten abmelden.
# The two policies' addresses follow, each on a line of its own.
digest-policy-changed-text = Wir haben unsere Datenschutzerklärung (Version { $privacy_version }) und unsere Nutzungsbedingungen (Version { $terms_version }) aktualisiert:
digest-policy-disagree-text = Wenn Sie damit nicht einverstanden sind, können Sie sich jederzeit über den Link am Ende dieser E-Mail abmelden.
# The heading above the articles (shown in capitals where the script has them).
digest-read-next = Lesetipps
# Under an article's title. $author is the name the article gives.
digest-by = Von { $author }
# The link under each article to read it on the site (an arrow follows it in the HTML part).
digest-read-more = Weiterlesen
digest-read-more-text = Weiterlesen:
# $unsubscribe_url leaves with one click; $data_url opens the reader's page.
digest-unsubscribe = Sie können sich jederzeit mit einem Klick <a href="{ $unsubscribe_url }" style="{ $accent_style }">abmelden</a>, <a href="{ $data_url }" style="{ $link_style }">Ihren Namen ändern oder eine Kopie Ihrer Daten anfordern</a>.
digest-unsubscribe-text = Mit einem Klick abmelden:
digest-data-text = Namen ändern oder eine Kopie Ihrer Daten anfordern:

## The email carrying a copy of a reader's data, as an attached file. $newsletter is the
## publication's name.

data-export-email-subject = Ihre Daten bei { $newsletter }
# Follows "Hello NAME," (hence no capital letter in English).
data-export-email-body = wie gewünscht erhalten Sie im Anhang eine Kopie aller Daten, die { $newsletter } über Sie gespeichert hat: Ihr Abonnement, den Nachweis Ihrer Einwilligung (wann und von wo aus Sie welchen Bedingungen zugestimmt haben) und jede E-Mail, die wir Ihnen geschickt haben. Es ist eine JSON-Datei, die Sie mit jedem Texteditor öffnen können.
data-export-email-not-you = Falls Sie das nicht angefordert haben, hat jemand einen Link aus einer unserer E-Mails an Sie verwendet. Die Kopie ging nur an Sie, niemand sonst hat sie gesehen.

## The email with a fresh link to the reader's page, asked for on the "leave by address"
## page. $newsletter is the publication's name.

unsubscribe-link-email-subject = Ihr Link zum Abmelden von { $newsletter }
# Follows "Hello NAME," (hence no capital letter in English); a button with the link follows.
unsubscribe-link-email-body = jemand, vermutlich Sie selbst, hat einen Link angefordert, um diese Adresse von { $newsletter } abzumelden. Öffnen Sie ihn und klicken Sie auf die Schaltfläche, um sich abzumelden; dort können Sie auch Ihren Namen ändern oder Ihre Daten anfordern.
# As unsubscribe-link-email-body; the link follows on a line of its own.
unsubscribe-link-email-body-text = jemand, vermutlich Sie selbst, hat einen Link angefordert, um diese Adresse von { $newsletter } abzumelden. Öffnen Sie ihn und klicken Sie auf die Schaltfläche, um sich abzumelden; dort können Sie auch Ihren Namen ändern oder Ihre Daten anfordern:
unsubscribe-link-email-button = Abmelden oder Einstellungen ändern
unsubscribe-link-email-not-you = Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail einfach: Es ändert sich nichts.
