## The signup page (also what the embed snippet shows).

signup-title = Suscríbete
signup-heading = Suscríbete a { $newsletter }
signup-heading-several = Suscríbete a nuestros boletines
signup-lede-several = Elige lo que quieres recibir. Un solo correo lo confirma todo.
signup-form-error =
    { $count ->
        [one] Corrige el campo resaltado más abajo.
       *[other] Corrige los campos resaltados más abajo.
    }
signup-email = Correo electrónico
signup-name = Nombre
signup-newsletters = Boletines
signup-topics = Temas
signup-topics-hint = Elige los que te interesen, o ninguno para recibirlo todo.
signup-how-often = Frecuencia
signup-honeypot = Deja este campo vacío
signup-submit = Suscribirme
signup-fineprint = Te enviaremos un correo para confirmar tu dirección. Sin confirmación, no hay boletín.
signup-accepted = ¡Gracias! Revisa tu bandeja de entrada y confirma tu suscripción.
signup-archive = ¿Todavía no te decides? <a href="/archive">Lee las ediciones anteriores</a>.
# The consent checkbox's label: kept word for word, with its language, as evidence of what
# each reader agreed to. Keep both links.
consent-label = Acepto la <a href="{ $privacy_url }">Política de privacidad</a> y los <a href="{ $terms_url }">Términos de uso</a>. Puedes darte de baja en cualquier momento.

## Cadence choices, on the signup page and the reader's page. $time is like 08:00, $zone a
## time zone name (Europe/Berlin), $day 0 (Sunday) to 6 (Saturday).

cadence-whenever = Cuando la redacción lo envíe
cadence-scheduled = Con su periodicidad habitual
cadence-instant-every =
    A medida que se publican los artículos, como máximo un correo { $unit ->
        [hour] { $count ->
            [one] cada hora
           *[other] cada { $count } horas
        }
       *[minute] { $count ->
            [one] cada minuto
           *[other] cada { $count } minutos
        }
    }
cadence-daily-at = Una vez al día, a las { $time } ({ $zone })
cadence-weekly-at =
    Una vez a la semana, los { $day ->
        [0] domingos
        [1] lunes
        [2] martes
        [3] miércoles
        [4] jueves
        [5] viernes
       *[6] sábados
    } a las { $time } ({ $zone })
cadence-short-scheduled = Con la periodicidad habitual de cada boletín
cadence-short-instant = A medida que se publican los artículos
cadence-short-daily = Una vez al día
cadence-short-weekly = Una vez a la semana
cadence-offered-by = Disponible en { $newsletters }

## After the form: check your inbox.

thanks-title = Revisa tu bandeja de entrada
thanks-sent-to = ¡Gracias por suscribirte! Hemos enviado un correo a <strong>{ $email }</strong> con un enlace para confirmar tu suscripción.
thanks-sent = ¡Gracias por suscribirte! Te hemos enviado un correo con un enlace para confirmar tu suscripción.
thanks-from = Lo envía <strong>{ $from }</strong> y puede tardar un par de minutos en llegar; si no lo ves, revisa tu carpeta de spam.
thanks-archive = Mientras tanto, <a href="/archive">lee las ediciones anteriores</a>.
thanks-already = Si ya tenías una suscripción, no cambia nada y seguirás recibiendo { $newsletter } como hasta ahora.

## The confirmation link's page (the button that confirms) and the page after it.

confirm-title = Confirma tu suscripción
confirm-heading = Un último paso
confirm-text = Pulsa el botón para confirmar que quieres recibir { $newsletter }.
confirm-button = Confirmar mi suscripción
confirm-fineprint = ¿No te has suscrito tú? Basta con cerrar esta página: sin confirmación, no recibirás nada de nuestra parte.
confirmed-title = Suscripción confirmada
confirmed-heading = Tu suscripción está activa
confirmed-already = Ya habías confirmado esta dirección, así que no tienes que hacer nada más: tu suscripción a { $newsletter } está activa.
confirmed-text = ¡Gracias! Tu suscripción a { $newsletter } está confirmada. Pronto recibirás la próxima edición en tu bandeja de entrada.
confirmed-archive = Hasta entonces, <a href="/archive">lee las ediciones anteriores</a>.
confirmed-fineprint = Todos los correos incluyen un enlace para darte de baja con un solo clic.

## A confirmation link that cannot be used. The page shows one of the reasons, then
## link-invalid-lifetime.

link-invalid-title = Enlace no válido
link-invalid-heading = Este enlace no se puede usar
link-invalid-expired = Este enlace de confirmación ha expirado.
link-invalid-used = Este enlace de confirmación ya se ha usado.
link-invalid-unknown = No reconocemos este enlace de confirmación.
link-invalid-lifetime = Los enlaces de confirmación solo funcionan una vez y durante un tiempo limitado.
link-invalid-again = Si quieres recibir { $newsletter }, <a href="/">vuelve a suscribirte</a> y te enviaremos un enlace nuevo.

## Leaving by address: for a reader whose unsubscribe link does not work, or who came to
## leave without one. They get an email with a fresh link.

leave-broken-title = Este enlace no funciona
leave-broken-text = No encontramos ningún suscriptor que corresponda a este enlace de baja. A veces los programas de correo modifican o cortan los enlaces, y los enlaces dejan de funcionar cuando una dirección se elimina de nuestra lista.
leave-by-address-heading = Date de baja con tu correo electrónico
leave-title = Darse de baja
leave-lede = Escribe tu dirección y te enviaremos por correo un enlace nuevo para darte de baja. Solo se envía a esa dirección, así que nadie puede dar de baja a otra persona.
leave-email = Correo electrónico
leave-submit = Enviarme un enlace
leave-sent-title = Revisa tu bandeja de entrada
# $email is the address as typed, partly hidden: a***@example.com.
leave-sent-text = Si { $email } está en la lista de { $newsletter }, hemos enviado a esa dirección un correo con un enlace para darte de baja. Puede tardar un par de minutos; si no lo ves, revisa tu carpeta de spam.

## The reader's own page (the unsubscribe link of every email): leaving, their newsletters
## with topics and cadence, their name, language and data. $email is their address, partly
## hidden (a***@example.com); $newsletter a newsletter's name.

preferences-title = Tu suscripción
preferences-left-heading = Has dejado de recibir { $newsletter }
preferences-left-text = <strong>{ $email }</strong> ya no recibirá { $newsletter }. Tus otros boletines siguen llegando: puedes cambiarlos o darte de baja más abajo.
preferences-leave-heading = ¿Quieres darte de baja de { $newsletter }?
# What the button at the top does when they get other newsletters too.
preferences-leave-one = Pulsa el botón y <strong>{ $email }</strong> dejará de recibir { $newsletter }. Tus otros boletines seguirán llegando: puedes cambiarlos o darte de baja más abajo.
preferences-leave-all = Pulsa el botón y <strong>{ $email }</strong> dejará de recibir nuestros correos.
preferences-unsubscribe = Darme de baja
# Said as the newsletter's name in preferences-leave-heading when the button leaves several.
preferences-all-newsletters = todos nuestros boletines
preferences-unsubscribed-heading = Te has dado de baja de { $newsletter }
preferences-unsubscribed-text = <strong>{ $email }</strong> ya no recibe ningún correo nuestro. ¿Has cambiado de opinión? Puedes <a href="/">volver a suscribirte</a> en cualquier momento; te pediremos que lo confirmes por correo.
preferences-newsletters-heading = Tus boletines
preferences-newsletters-lede = Elige qué temas quieres de cada uno y con qué frecuencia te llega. Si no marcas ningún tema, recibirás todo lo que envíe.
preferences-choice-error =
    { $count ->
        [one] Corrige la opción resaltada más abajo.
       *[other] Corrige las opciones resaltadas más abajo.
    }
preferences-topics = Temas
preferences-topics-none = (si no marcas ninguno: todos)
preferences-how-often = Frecuencia
# The part in the span is read out by screen readers only.
preferences-save-choices = Guardar preferencias<span class="visually-hidden"> de { $newsletter }</span>
preferences-leave-newsletter = Darme de baja de { $newsletter }
preferences-leave-all-lede = O cancélalo todo: no volverás a recibir ningún correo nuestro.
preferences-leave-all-button = Darme de baja de todo
# Where the reader stands on one newsletter, under its name.
preferences-summary-pending = Pendiente de tu confirmación: busca nuestro correo con el enlace.
preferences-summary-left = Te has dado de baja de este boletín.
# $when is one of the cadence-* messages with its first letter made lower case; $topics is
# the topics' names joined by list-separator, or preferences-every-topic.
preferences-summary = Lo recibes: { $when }; { $topics }.
preferences-every-topic = todos los temas
preferences-details-heading = Tus datos
preferences-name = El nombre con el que te saludamos
preferences-name-optional = (déjalo en blanco si prefieres que no usemos ninguno)
preferences-save-name = Guardar nombre
preferences-save-language = Guardar idioma
preferences-data-text = ¿Quieres una copia de todo lo que guardamos sobre ti: tus datos, el registro de tu consentimiento y los correos que te hemos enviado? Te la enviamos como archivo a tu dirección de correo; nunca se muestra en esta página.
preferences-data-button = Enviarme mis datos por correo
# Notices after a change.
preferences-saved-name = Guardado. Tu próximo correo usará este nombre.
# $language is the language's own name (Deutsch, Français); the page is already in it.
preferences-saved-language = Guardado. A partir de ahora te escribiremos en este idioma ({ $language }).
preferences-data-sent = En camino: estamos enviando una copia de tus datos a tu dirección. Puede tardar unos minutos en llegar.
preferences-data-limit = Hoy ya has pedido tus datos tres veces. Busca las copias en tu bandeja de entrada (y en la carpeta de spam) o vuelve a pedirlos mañana.
preferences-saved-choice = Guardado. Los próximos correos de { $newsletter } seguirán tus preferencias.
# Said as $newsletter in preferences-saved-choice and preferences-left-one when the
# newsletter is no longer known.
preferences-the-newsletter = este boletín
preferences-left-one = Listo: te has dado de baja de { $newsletter }.
preferences-left-every = Listo: te has dado de baja de todos nuestros boletines.

## After leaving with the button or a mail program's one-click request.

unsubscribed-title = Baja confirmada
unsubscribed-heading = Te has dado de baja
unsubscribed-text = Ya no recibirás más correos de { $newsletter }. Lamentamos que te vayas.
# $link leads to the reader's own page.
unsubscribed-others = Tus otros boletines seguirán llegando. <a href="{ $link }">Cámbialos o date de baja</a>.
unsubscribed-again = ¿Has cambiado de opinión? Puedes <a href="/">volver a suscribirte</a> en cualquier momento.
unsubscribed-data = ¿Quieres una copia de los datos que guardamos sobre ti? <a href="{ $link }">Pídela aquí</a>.

## The public archive of past issues, and one issue's web version.

archive-title = Archivo
archive-heading = Ediciones anteriores
# After the publication's own description.
archive-lede = Esto es lo que hemos enviado hasta ahora; <a href="/">suscríbete</a> para recibir la próxima edición.
archive-empty = Todavía no se ha enviado nada.
archive-feed = <a href="/archive.xml">Feed Atom</a> de las ediciones anteriores.
archive-by = Por { $author }
archive-sign-up = <a href="/">Suscríbete a { $newsletter }</a> para recibir la próxima edición por correo.

## What the embedded signup form's script says while and after it sends the form.

embed-sending = Enviando…
embed-failed = Algo salió mal; inténtalo de nuevo.
