## Emails: confirmation, welcome, digest, data export, unsubscribe link.
##
## Each email has an HTML part and a plain-text part. Messages ending in -text are for the
## plain-text part: no markup, and where they end in a colon the address follows after them.
## In messages holding links, keep each <a ...> tag and its attributes exactly as they are
## (`style` carries the link's colour): translate only the words between <a ...> and </a>.

## Words every email uses.

# The first line of an email. $name is the reader's name as they gave it.
email-hello-name = Hola, { $name }:
email-hello = Hola:
# The footer of emails to a newsletter's readers. $newsletter is its name, $public_url the
# address of the publication's site (also the link's words).
email-why = Recibes este correo porque te suscribiste a { $newsletter } en <a href="{ $public_url }" style="{ $link_style }">{ $public_url }</a> y confirmaste tu dirección.
email-why-text = Recibes este correo porque te suscribiste a { $newsletter } en { $public_url } y confirmaste tu dirección.
# How long a link keeps working: $count of $unit (day, hour or minute), as in "48 hours".
email-lifetime =
    { $unit ->
        [day]
            { $count ->
                [one] { $count } día
               *[other] { $count } días
            }
        [hour]
            { $count ->
                [one] { $count } hora
               *[other] { $count } horas
            }
       *[minute]
            { $count ->
                [one] { $count } minuto
               *[other] { $count } minutos
            }
    }

## The confirmation email (double opt-in). $newsletters is what the reader is confirming:
## one newsletter's name, or several as a list ("The Daily and The Weekend Read").

confirm-email-subject = Confirma tu suscripción a { $newsletters }
confirm-email-title = Confirma tu suscripción
# Follows "Hello NAME," on the line above (hence no capital letter in English).
confirm-email-ask = Por favor, confirma que quieres recibir { $newsletters }.
confirm-email-button = Confirmar mi suscripción
# The confirmation link follows on the next line.
confirm-email-copy-link = O copia este enlace en tu navegador:
# $lifetime is how long the link works (email-lifetime: "48 hours").
confirm-email-expires = El enlace solo funciona una vez y caduca dentro de { $lifetime }.
confirm-email-not-you = Si no te has suscrito tú, ignora este correo: sin confirmación, no recibirás nada de nuestra parte.
# $data_url opens the reader's page, where they can ask for a copy of their data.
confirm-email-data = Para ver qué datos guardamos sobre ti, <a href="{ $data_url }" style="{ $link_style }">pide una copia de tus datos</a>; te la enviaremos por correo.
# Follows "Hello NAME,"; the confirmation link follows on a line of its own.
confirm-email-ask-text = Por favor, confirma que quieres recibir { $newsletters } abriendo este enlace y pulsando el botón de la página:
confirm-email-data-text = Para ver qué datos guardamos sobre ti (te enviaremos una copia por correo):

## The welcome email, sent once a reader confirms a newsletter that has a welcome text. The
## text is the editors' own; these are the words around it. $newsletter is the newsletter's
## name.

# The subject (and title) when the editors gave the welcome none of its own.
welcome-email-subject = Te damos la bienvenida a { $newsletter }
welcome-email-button = Elige qué quieres recibir
# $reader_url opens the reader's own page.
welcome-email-your-page = En <a href="{ $reader_url }" style="{ $link_style }">tu página personal</a> puedes elegir los temas y con qué frecuencia te escribimos, darte de baja o pedir una copia de tus datos.
welcome-email-your-page-text = En tu página personal puedes elegir los temas y con qué frecuencia te escribimos, darte de baja o pedir una copia de tus datos:

## Digest emails. The articles, the subject and the editors' note above the articles are the
## editors'; these are the words around them.

digest-view-in-browser = Ver en el navegador
digest-view-in-browser-text = Ver en el navegador:
# The line above the articles. $name is the reader's name as they gave it.
digest-hello-name = ¡Hola, { $name }! Esto es lo que te proponemos leer.
digest-hello = ¡Hola! Esto es lo que te proponemos leer.
# Told once to a reader who agreed to older versions of the policies. The versions are the
# publication's labels, like "2026-11".
digest-policy-changed = Hemos actualizado nuestra <a href="{ $privacy_url }" style="{ $link_style }">Política de privacidad</a> (versión { $privacy_version }) y nuestros <a href="{ $terms_url }" style="{ $link_style }">Términos de uso</a> (versión { $terms_version }). Si no estás de acuerdo, puedes darte de baja en cualquier momento con el enlace que encontrarás más abajo.
# The two policies' addresses follow, each on a line of its own.
digest-policy-changed-text = Hemos actualizado nuestra Política de privacidad (versión { $privacy_version }) y nuestros Términos de uso (versión { $terms_version }):
digest-policy-disagree-text = Si no estás de acuerdo, puedes darte de baja en cualquier momento con el enlace que encontrarás al final de este correo.
# The heading above the articles (shown in capitals where the script has them).
digest-read-next = Lecturas recomendadas
# Under an article's title. $author is the name the article gives.
digest-by = Por { $author }
# The link under each article to read it on the site (an arrow follows it in the HTML part).
digest-read-more = Leer más
digest-read-more-text = Leer más:
# $unsubscribe_url leaves with one click; $data_url opens the reader's page.
digest-unsubscribe = <a href="{ $unsubscribe_url }" style="{ $accent_style }">Date de baja</a> con un solo clic en cualquier momento, o <a href="{ $data_url }" style="{ $link_style }">cambia tu nombre o pide una copia de tus datos</a>.
digest-unsubscribe-text = Date de baja con un solo clic:
digest-data-text = Cambia tu nombre o pide una copia de tus datos:

## The email carrying a copy of a reader's data, as an attached file. $newsletter is the
## publication's name.

data-export-email-subject = Tus datos en { $newsletter }
# Follows "Hello NAME," (hence no capital letter in English).
data-export-email-body = Tal como pediste, te adjuntamos una copia de todo lo que { $newsletter } guarda sobre ti: tu suscripción, el registro de tu consentimiento (qué aceptaste, cuándo y desde dónde) y todos los correos que te hemos enviado. Es un archivo JSON que puedes abrir con cualquier editor de texto.
data-export-email-not-you = Si no lo has pedido tú, alguien ha usado un enlace de uno de los correos que te hemos enviado. La copia solo te ha llegado a ti, así que nadie más la ha visto.

## The email with a fresh link to the reader's page, asked for on the "leave by address"
## page. $newsletter is the publication's name.

unsubscribe-link-email-subject = Tu enlace para darte de baja de { $newsletter }
# Follows "Hello NAME," (hence no capital letter in English); a button with the link follows.
unsubscribe-link-email-body = Alguien, probablemente tú, ha pedido un enlace para dar de baja esta dirección de { $newsletter }. Ábrelo y pulsa el botón para darte de baja; allí también puedes cambiar tu nombre o pedir tus datos.
# As unsubscribe-link-email-body; the link follows on a line of its own.
unsubscribe-link-email-body-text = Alguien, probablemente tú, ha pedido un enlace para dar de baja esta dirección de { $newsletter }. Ábrelo y pulsa el botón para darte de baja; allí también puedes cambiar tu nombre o pedir tus datos:
unsubscribe-link-email-button = Darme de baja o cambiar mis preferencias
unsubscribe-link-email-not-you = Si no lo has pedido tú, ignora este correo: no cambiará nada.
