## Emails: confirmation, welcome, digest, data export, unsubscribe link.
##
## Each email has an HTML part and a plain-text part. Messages ending in -text are for the
## plain-text part: no markup, and where they end in a colon the address follows after them.
## In messages holding links, keep each <a ...> tag and its attributes exactly as they are
## (`style` carries the link's colour): translate only the words between <a ...> and </a>.

## Words every email uses.

# The first line of an email. $name is the reader's name as they gave it.
email-hello-name = Bonjour { $name },
email-hello = Bonjour,
# The footer of emails to a newsletter's readers. $newsletter is its name, $public_url the
# address of the publication's site (also the link's words).
email-why = Vous recevez cet e-mail car vous avez demandé à recevoir { $newsletter } sur <a href="{ $public_url }" style="{ $link_style }">{ $public_url }</a> et confirmé votre adresse.
email-why-text = Vous recevez cet e-mail car vous avez demandé à recevoir { $newsletter } sur { $public_url } et confirmé votre adresse.
# How long a link keeps working: $count of $unit (day, hour or minute), as in "48 hours".
email-lifetime =
    { $unit ->
        [day]
            { $count ->
                [one] { $count } jour
                [many] { $count } jours
               *[other] { $count } jours
            }
        [hour]
            { $count ->
                [one] { $count } heure
                [many] { $count } heures
               *[other] { $count } heures
            }
       *[minute]
            { $count ->
                [one] { $count } minute
                [many] { $count } minutes
               *[other] { $count } minutes
            }
    }

## The confirmation email (double opt-in). $newsletters is what the reader is confirming:
## one newsletter's name, or several as a list ("The Daily and The Weekend Read").

confirm-email-subject = Veuillez confirmer votre abonnement à { $newsletters }
confirm-email-title = Confirmez votre abonnement
# Follows "Hello NAME," on the line above (hence no capital letter in English).
confirm-email-ask = Merci de confirmer que vous souhaitez bien recevoir { $newsletters }.
confirm-email-button = Confirmer mon abonnement
# The confirmation link follows on the next line.
confirm-email-copy-link = Ou copiez ce lien dans votre navigateur :
# $lifetime is how long the link works (email-lifetime: "48 hours").
confirm-email-expires = Ce lien ne fonctionne qu'une seule fois et expire dans { $lifetime }.
confirm-email-not-you = Si vous n'êtes pas à l'origine de cette inscription, ignorez cet e-mail : sans confirmation, vous ne recevrez rien de notre part.
# $data_url opens the reader's page, where they can ask for a copy of their data.
confirm-email-data = Pour savoir ce que nous conservons à votre sujet, <a href="{ $data_url }" style="{ $link_style }">demandez une copie de vos données</a> ; nous vous l'enverrons par e-mail.
# Follows "Hello NAME,"; the confirmation link follows on a line of its own.
confirm-email-ask-text = Pour confirmer que vous souhaitez bien recevoir { $newsletters }, ouvrez ce lien puis cliquez sur le bouton de la page :
confirm-email-data-text = Pour savoir ce que nous conservons à votre sujet (une copie vous sera envoyée par e-mail) :

## The welcome email, sent once a reader confirms a newsletter that has a welcome text. The
## text is the editors' own; these are the words around it. $newsletter is the newsletter's
## name.

# The subject (and title) when the editors gave the welcome none of its own.
welcome-email-subject = Bienvenue dans { $newsletter }
welcome-email-button = Choisir ce que je reçois
# $reader_url opens the reader's own page.
welcome-email-your-page = Sur <a href="{ $reader_url }" style="{ $link_style }">votre page</a>, vous pouvez choisir vos thèmes et la fréquence de nos e-mails, vous désabonner ou obtenir une copie de vos données.
welcome-email-your-page-text = Sur votre page, vous pouvez choisir vos thèmes et la fréquence de nos e-mails, vous désabonner ou obtenir une copie de vos données :

## Digest emails. The articles, the subject and the editors' note above the articles are the
## editors'; these are the words around them.

digest-view-in-browser = Afficher dans votre navigateur
digest-view-in-browser-text = Afficher dans votre navigateur :
# The line above the articles. $name is the reader's name as they gave it.
digest-hello-name = Bonjour { $name }, voici vos prochaines lectures.
digest-hello = Bonjour, voici vos prochaines lectures.
# Told once to a reader who agreed to older versions of the policies. The versions are the
# publication's labels, like "2026-11".
digest-policy-changed = Nous avons mis à jour notre <a href="{ $privacy_url }" style="{ $link_style }">politique de confidentialité</a> (version { $privacy_version }) et nos <a href="{ $terms_url }" style="{ $link_style }">conditions d'utilisation</a> (version { $terms_version }). Si vous ne les acceptez pas, vous pouvez vous désabonner à tout moment grâce au lien ci-dessous.
# The two policies' addresses follow, each on a line of its own.
digest-policy-changed-text = Nous avons mis à jour notre politique de confidentialité (version { $privacy_version }) et nos conditions d'utilisation (version { $terms_version }) :
digest-policy-disagree-text = Si vous ne les acceptez pas, vous pouvez vous désabonner à tout moment grâce au lien figurant à la fin de cet e-mail.
# The heading above the articles (shown in capitals where the script has them).
digest-read-next = À lire
# Under an article's title. $author is the name the article gives.
digest-by = Par { $author }
# The link under each article to read it on the site (an arrow follows it in the HTML part).
digest-read-more = Lire la suite
digest-read-more-text = Lire la suite :
# $unsubscribe_url leaves with one click; $data_url opens the reader's page.
digest-unsubscribe = <a href="{ $unsubscribe_url }" style="{ $accent_style }">Désabonnez-vous</a> en un clic à tout moment, ou <a href="{ $data_url }" style="{ $link_style }">modifiez votre nom ou demandez une copie de vos données</a>.
digest-unsubscribe-text = Désabonnez-vous en un clic :
digest-data-text = Modifiez votre nom ou demandez une copie de vos données :

## The email carrying a copy of a reader's data, as an attached file. $newsletter is the
## publication's name.

data-export-email-subject = Vos données chez { $newsletter }
# Follows "Hello NAME," (hence no capital letter in English).
data-export-email-body = Comme vous l'avez demandé, vous trouverez en pièce jointe une copie de tout ce que { $newsletter } conserve à votre sujet : votre abonnement, la preuve de votre consentement (ce que vous avez accepté, quand et d'où) et tous les e-mails que nous vous avons envoyés. Il s'agit d'un fichier JSON, lisible avec n'importe quel éditeur de texte.
data-export-email-not-you = Si vous n'êtes pas à l'origine de cette demande, quelqu'un a utilisé un lien figurant dans l'un des e-mails que nous vous avons envoyés. Cette copie n'a été envoyée qu'à vous : personne d'autre ne l'a vue.

## The email with a fresh link to the reader's page, asked for on the "leave by address"
## page. $newsletter is the publication's name.

unsubscribe-link-email-subject = Votre lien pour vous désabonner de { $newsletter }
# Follows "Hello NAME," (hence no capital letter in English); a button with the link follows.
unsubscribe-link-email-body = Quelqu'un, probablement vous, a demandé un lien pour désabonner cette adresse de { $newsletter }. Ouvrez-le et cliquez sur le bouton pour vous désabonner ; vous pourrez aussi y modifier votre nom ou demander vos données.
# As unsubscribe-link-email-body; the link follows on a line of its own.
unsubscribe-link-email-body-text = Quelqu'un, probablement vous, a demandé un lien pour désabonner cette adresse de { $newsletter }. Ouvrez-le et cliquez sur le bouton pour vous désabonner ; vous pourrez aussi y modifier votre nom ou demander vos données :
unsubscribe-link-email-button = Me désabonner ou modifier mes préférences
unsubscribe-link-email-not-you = Si vous n'avez rien demandé, ignorez cet e-mail : rien ne changera.
