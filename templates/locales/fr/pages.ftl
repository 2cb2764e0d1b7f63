## The signup page (also what the embed snippet shows).

signup-title = Inscription
signup-heading = Abonnez-vous à { $newsletter }
signup-heading-several = Abonnez-vous à nos newsletters
signup-lede-several = Choisissez ce que vous souhaitez recevoir. Un seul e-mail suffit pour tout confirmer.
signup-form-error =
    { $count ->
        [one] Veuillez corriger le champ signalé ci-dessous.
        [many] Veuillez corriger les champs signalés ci-dessous.
       *[other] Veuillez corriger les champs signalés ci-dessous.
    }
signup-email = Adresse e-mail
signup-name = Prénom
signup-newsletters = Newsletters
signup-topics = Thèmes
signup-topics-hint = Choisissez ceux qui vous intéressent, ou aucun pour tout recevoir.
signup-how-often = Fréquence
signup-honeypot = Laissez ce champ vide
signup-submit = S'inscrire
signup-fineprint = Nous vous enverrons un e-mail pour confirmer votre adresse. Sans confirmation, pas de newsletter.
signup-accepted = Merci ! Consultez votre boîte de réception et confirmez votre abonnement.
signup-archive = Vous hésitez encore ? <a href="/archive">Lisez les numéros précédents</a>.
# The consent checkbox's label: kept word for word, with its language, as evidence of what
# each reader agreed to. Keep both links.
consent-label = J'accepte la <a href="{ $privacy_url }">politique de confidentialité</a> et les <a href="{ $terms_url }">conditions d'utilisation</a>. Vous pouvez vous désabonner à tout moment.

## Cadence choices, on the signup page and the reader's page. $time is like 08:00, $zone a
## time zone name (Europe/Berlin), $day 0 (Sunday) to 6 (Saturday).

cadence-whenever = Dès que la rédaction l'envoie
cadence-scheduled = À son rythme habituel
cadence-instant-every =
    Au fil des publications, au plus un e-mail { $unit ->
        [hour] { $count ->
            [one] par heure
            [many] toutes les { $count } heures
           *[other] toutes les { $count } heures
        }
       *[minute] { $count ->
            [one] par minute
            [many] toutes les { $count } minutes
           *[other] toutes les { $count } minutes
        }
    }
cadence-daily-at = Une fois par jour, à { $time } ({ $zone })
cadence-weekly-at =
    Une fois par semaine, le { $day ->
        [0] dimanche
        [1] lundi
        [2] mardi
        [3] mercredi
        [4] jeudi
        [5] vendredi
       *[6] samedi
    } à { $time } ({ $zone })
cadence-short-scheduled = Au rythme habituel de chaque newsletter
cadence-short-instant = Au fil des publications
cadence-short-daily = Une fois par jour
cadence-short-weekly = Une fois par semaine
cadence-offered-by = Proposé par { $newsletters }

## After the form: check your inbox.

thanks-title = Vérifiez votre boîte de réception
thanks-sent-to = Merci de votre inscription ! Nous avons envoyé à <strong>{ $email }</strong> un e-mail contenant un lien pour confirmer votre abonnement.
thanks-sent = Merci de votre inscription ! Nous vous avons envoyé un e-mail contenant un lien pour confirmer votre abonnement.
thanks-from = Il est envoyé par <strong>{ $from }</strong> et peut mettre une minute ou deux à arriver ; si vous ne le voyez pas, regardez dans votre dossier de courrier indésirable.
thanks-archive = En attendant, <a href="/archive">lisez les numéros précédents</a>.
thanks-already = Si votre adresse était déjà inscrite, rien ne change : vous continuerez à recevoir { $newsletter } comme avant.

## The confirmation link's page (the button that confirms) and the page after it.

confirm-title = Confirmez votre abonnement
confirm-heading = Une dernière étape
confirm-text = Cliquez sur le bouton pour confirmer que vous souhaitez recevoir { $newsletter }.
confirm-button = Confirmer mon abonnement
confirm-fineprint = Vous n'avez pas demandé cette inscription ? Fermez simplement cette page : sans confirmation, vous ne recevrez rien de notre part.
confirmed-title = Abonnement confirmé
confirmed-heading = C'est confirmé !
confirmed-already = Vous aviez déjà confirmé cette adresse, il n'y a donc plus rien à faire : vous recevez bien { $newsletter }.
confirmed-text = Merci ! Votre abonnement est confirmé : vous recevrez bientôt { $newsletter } dans votre boîte de réception.
confirmed-archive = D'ici là, <a href="/archive">lisez les numéros précédents</a>.
confirmed-fineprint = Chaque e-mail contient un lien pour vous désabonner en un clic.

## A confirmation link that cannot be used. The page shows one of the reasons, then
## link-invalid-lifetime.

link-invalid-title = Lien non valide
link-invalid-heading = Ce lien ne peut pas être utilisé
link-invalid-expired = Ce lien de confirmation a expiré.
link-invalid-used = Ce lien de confirmation a déjà été utilisé.
link-invalid-unknown = Nous ne reconnaissons pas ce lien de confirmation.
link-invalid-lifetime = Les liens de confirmation ne fonctionnent qu'une seule fois et pendant une durée limitée.
link-invalid-again = Si vous souhaitez recevoir { $newsletter }, <a href="/">inscrivez-vous à nouveau</a> et nous vous enverrons un nouveau lien.

## Leaving by address: for a reader whose unsubscribe link does not work, or who came to
## leave without one. They get an email with a fresh link.

leave-broken-title = Ce lien ne fonctionne pas
leave-broken-text = Nous n'avons pu associer ce lien de désabonnement à aucune adresse. Les logiciels de messagerie modifient ou coupent parfois les liens, et un lien cesse de fonctionner lorsque l'adresse correspondante est retirée de notre liste.
leave-by-address-heading = Se désabonner avec son adresse e-mail
leave-title = Se désabonner
leave-lede = Saisissez votre adresse : nous vous enverrons par e-mail un nouveau lien de désabonnement. Il n'est envoyé qu'à cette adresse, si bien que personne ne peut désabonner quelqu'un d'autre.
leave-email = Adresse e-mail
leave-submit = M'envoyer un lien
leave-sent-title = Vérifiez votre boîte de réception
# $email is the address as typed, partly hidden: a***@example.com.
leave-sent-text = Si { $email } reçoit { $newsletter }, nous venons d'envoyer à cette adresse un e-mail contenant un lien de désabonnement. Il peut mettre une minute ou deux à arriver ; si vous ne le voyez pas, regardez dans votre dossier de courrier indésirable.

## The reader's own page (the unsubscribe link of every email): leaving, their newsletters
## with topics and cadence, their name, language and data. $email is their address, partly
## hidden (a***@example.com); $newsletter a newsletter's name.

preferences-title = Votre abonnement
preferences-left-heading = Vous ne recevez plus { $newsletter }
preferences-left-text = <strong>{ $email }</strong> ne reçoit plus { $newsletter }. Vos autres newsletters continuent d'arriver : modifiez-les ou désabonnez-vous ci-dessous.
preferences-leave-heading = Ne plus recevoir { $newsletter } ?
# What the button at the top does when they get other newsletters too.
preferences-leave-one = Cliquez sur le bouton et <strong>{ $email }</strong> ne recevra plus { $newsletter }. Vos autres newsletters continueront d'arriver : modifiez-les ou désabonnez-vous ci-dessous.
preferences-leave-all = Cliquez sur le bouton et <strong>{ $email }</strong> ne recevra plus aucun e-mail de notre part.
preferences-unsubscribe = Se désabonner
# Said as the newsletter's name in preferences-leave-heading when the button leaves several.
preferences-all-newsletters = aucune de nos newsletters
preferences-unsubscribed-heading = Vous ne recevez plus { $newsletter }
preferences-unsubscribed-text = <strong>{ $email }</strong> ne reçoit aucun e-mail de notre part. Vous avez changé d'avis ? Vous pouvez <a href="/">vous réabonner</a> à tout moment ; nous vous demanderons de confirmer par e-mail.
preferences-newsletters-heading = Vos newsletters
preferences-newsletters-lede = Choisissez pour chacune les thèmes qui vous intéressent et la fréquence de réception. Si aucun thème n'est coché, vous recevez tout ce qu'elle publie.
preferences-choice-error =
    { $count ->
        [one] Veuillez corriger le choix signalé ci-dessous.
        [many] Veuillez corriger les choix signalés ci-dessous.
       *[other] Veuillez corriger les choix signalés ci-dessous.
    }
preferences-topics = Thèmes
preferences-topics-none = (si aucun n'est coché : tous les thèmes)
preferences-how-often = Fréquence
# The part in the span is read out by screen readers only.
preferences-save-choices = Enregistrer les choix<span class="visually-hidden"> pour { $newsletter }</span>
preferences-leave-newsletter = Ne plus recevoir { $newsletter }
preferences-leave-all-lede = Ou arrêtez tout : plus aucun e-mail de notre part.
preferences-leave-all-button = Se désabonner de tout
# Where the reader stands on one newsletter, under its name.
preferences-summary-pending = En attente de votre confirmation : cherchez notre e-mail contenant le lien.
preferences-summary-left = Vous ne recevez plus cette newsletter.
# $when is one of the cadence-* messages with its first letter made lower case; $topics is
# the topics' names joined by list-separator, or preferences-every-topic.
preferences-summary = Vous la recevez : { $when } ; { $topics }.
preferences-every-topic = tous les thèmes
preferences-details-heading = Vos informations
preferences-name = Le nom utilisé pour vous saluer
preferences-name-optional = (laissez vide pour n'en utiliser aucun)
preferences-save-name = Enregistrer le nom
preferences-save-language = Enregistrer la langue
preferences-data-text = Vous souhaitez une copie de tout ce que nous conservons à votre sujet : vos informations, la preuve de votre consentement et les e-mails que nous vous avons envoyés ? Nous vous l'envoyons par e-mail sous forme de fichier ; elle n'est jamais affichée sur cette page.
preferences-data-button = M'envoyer mes données
# Notices after a change.
preferences-saved-name = C'est enregistré. Votre prochain e-mail utilisera ce nom.
# $language is the language's own name (Deutsch, Français); the page is already in it.
preferences-saved-language = C'est enregistré. Désormais, nous vous écrirons dans cette langue : { $language }.
preferences-data-sent = C'est parti : nous envoyons une copie de vos données à votre adresse. Elle peut mettre quelques minutes à arriver.
preferences-data-limit = Vous avez déjà demandé vos données trois fois aujourd'hui. Cherchez les copies dans votre boîte de réception (et dans votre dossier de courrier indésirable), ou renouvelez votre demande demain.
preferences-saved-choice = C'est enregistré : { $newsletter } tiendra compte de vos choix dès le prochain envoi.
# Said as $newsletter in preferences-saved-choice and preferences-left-one when the
# newsletter is no longer known.
preferences-the-newsletter = la newsletter
preferences-left-one = C'est fait : vous ne recevrez plus { $newsletter }.
preferences-left-every = C'est fait : vous ne recevrez plus aucune de nos newsletters.

## After leaving with the button or a mail program's one-click request.

unsubscribed-title = Désabonnement confirmé
unsubscribed-heading = Votre désabonnement a bien été pris en compte
unsubscribed-text = Vous ne recevrez plus { $newsletter }. Nous sommes désolés de vous voir partir.
# $link leads to the reader's own page.
unsubscribed-others = Vos autres newsletters continuent d'arriver. <a href="{ $link }">Modifiez-les ou désabonnez-vous</a>.
unsubscribed-again = Vous avez changé d'avis ? Vous pouvez <a href="/">vous réabonner</a> à tout moment.
unsubscribed-data = Vous souhaitez une copie des données que nous conservons à votre sujet ? <a href="{ $link }">Demandez-la ici</a>.

## The public archive of past issues, and one issue's web version.

archive-title = Archives
archive-heading = Numéros précédents
# After the publication's own description.
archive-lede = Voici tout ce qui a été envoyé jusqu'ici ; <a href="/">inscrivez-vous</a> pour recevoir le prochain numéro.
archive-empty = Aucun numéro n'a encore été envoyé.
archive-feed = <a href="/archive.xml">Flux Atom</a> des numéros précédents.
archive-by = Par { $author }
archive-sign-up = <a href="/">Abonnez-vous à { $newsletter }</a> pour recevoir le prochain numéro par e-mail.

## What the embedded signup form's script says while and after it sends the form.

embed-sending = Envoi en cours…
embed-failed = Une erreur s'est produite ; veuillez réessayer.
