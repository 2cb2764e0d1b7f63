## Messages shown beside a form field (and in the API's "fields"), in sentence case without a
## final full stop: pages add one.

error-email-control-chars = una dirección de correo electrónico no puede contener saltos de línea ni caracteres de control
error-email-empty = escribe tu dirección de correo electrónico
error-email-too-long = esta dirección de correo electrónico es demasiado larga (máximo 254 caracteres)
error-email-no-at = una dirección de correo electrónico debe llevar una @, como name@example.com
error-email-incomplete = escribe una dirección completa, como name@example.com
error-email-local-too-long = la parte anterior a la @ es demasiado larga (máximo 64 caracteres)
error-email-invalid = esto no parece una dirección de correo electrónico
error-email-bad-domain = el dominio de esta dirección no es válido
error-email-no-full-domain = usa una dirección con un nombre de dominio completo, como name@example.com
error-name-too-long = tu nombre debe tener menos de 100 caracteres
error-control-chars = no se permiten saltos de línea ni caracteres de control
error-consent = marca la casilla para aceptar la Política de privacidad y los Términos de uso
error-source-chars = usa solo letras, números y los signos - _ . : /
error-source-too-long = como máximo 64 caracteres
error-topic-invalid = "{ $topic }" no es un tema: usa como máximo 40 letras, números y guiones, por ejemplo "noticias-locales"
error-too-many-topics = como máximo { $count } temas
error-too-many-newsletters = como máximo 20 boletines
error-newsletter-unknown = no existe el boletín "{ $slug }"
error-choose-newsletter = elige al menos un boletín
error-choose-listed = elige una de las opciones de la lista
error-cadence-not-offered = { $newsletter } no ofrece "{ $cadence }"; ofrece { $offered }
error-locale-invalid = "{ $locale }" no es una etiqueta de idioma como "de" o "pt-BR"

## Headings of error pages.

error-title-not-found = No encontramos esa página
error-title-too-many = Demasiados intentos
error-title-sign-in = Inicia sesión
error-title-expired = Este formulario ha expirado
error-title-conflict = No se ha podido completar
error-title-busy = Ahora mismo estamos muy ocupados
error-title-check = Revisa los datos enviados
error-title-unexpected = Algo salió mal
error-back-to-signup = Volver a la página de suscripción
error-topic-not-covered = ninguno de los boletines elegidos incluye el tema { $topic }; desmárcalo o elige otro boletín

## What an error page says under its heading, when the problem is not in what the reader sent.

error-message-not-found = La página que buscas no está aquí. Revisa la dirección o vuelve atrás.
error-message-rate-limited = Demasiadas solicitudes de suscripción desde tu red; inténtalo de nuevo más tarde.
error-message-busy = El servicio está saturado; inténtalo de nuevo en unos instantes.
error-message-unexpected = Algo salió mal por nuestra parte; inténtalo de nuevo más tarde.

## The reader's choices for one of their newsletters, on their own page.

# $cadence is what the form sent; $offered the newsletter's cadences (cadence-* messages, first
# letter in lower case) joined by error-cadence-choose-separator.
error-cadence-choose = { $newsletter } no tiene la frecuencia "{ $cadence }"; elige { $offered }
error-cadence-choose-separator = {", o "}
error-topic-not-offered = { $newsletter } no tiene el tema "{ $topic }"
error-choose-after-confirming = podrás elegir cuando recibas { $newsletter }: primero confirma tu suscripción o vuelve a suscribirte
