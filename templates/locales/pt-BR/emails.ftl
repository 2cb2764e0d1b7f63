## Emails: confirmation, welcome, digest, data export, unsubscribe link.
##
## Each email has an HTML part and a plain-text part. Messages ending in -text are for the
## plain-text part: no markup, and where they end in a colon the address follows after them.
## In messages holding links, keep each <a ...> tag and its attributes exactly as they are
## (`style` carries the link's colour): translate only the words between <a ...> and </a>.

## Words every email uses.

# The first line of an email. $name is the reader's name as they gave it.
email-hello-name = Olá, { $name },
email-hello = Olá,
# The footer of emails to a newsletter's readers. $newsletter is its name, $public_url the
# address of the publication's site (also the link's words).
email-why = Você está recebendo este e-mail porque se inscreveu em { $newsletter } pelo site <a href="{ $public_url }" style="{ $link_style }">{ $public_url }</a> e confirmou seu endereço.
email-why-text = Você está recebendo este e-mail porque se inscreveu em { $newsletter } pelo site { $public_url } e confirmou seu endereço.
# How long a link keeps working: $count of $unit (day, hour or minute), as in "48 hours".
email-lifetime =
    { $unit ->
        [day]
            { $count ->
                [one] { $count } dia
               *[other] { $count } dias
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

confirm-email-subject = Confirme sua inscrição em { $newsletters }
confirm-email-title = Confirme sua inscrição
# Follows "Hello NAME," on the line above (hence no capital letter in English).
confirm-email-ask = Por favor, confirme que você quer receber { $newsletters }.
confirm-email-button = Confirmar minha inscrição
# The confirmation link follows on the next line.
confirm-email-copy-link = Ou copie este link e cole no seu navegador:
# $lifetime is how long the link works (email-lifetime: "48 hours").
confirm-email-expires = O link funciona uma única vez e expira em { $lifetime }.
confirm-email-not-you = Se você não se inscreveu, ignore este e-mail: sem confirmação, você não receberá nada de nós.
# $data_url opens the reader's page, where they can ask for a copy of their data.
confirm-email-data = Para saber quais dados temos sobre você, <a href="{ $data_url }" style="{ $link_style }">peça uma cópia</a>, que enviaremos por e-mail.
# Follows "Hello NAME,"; the confirmation link follows on a line of its own.
confirm-email-ask-text = Por favor, confirme que você quer receber { $newsletters } abrindo este link e clicando no botão da página:
confirm-email-data-text = Para saber quais dados temos sobre você (enviaremos uma cópia por e-mail):

## The welcome email, sent once a reader confirms a newsletter that has a welcome text. The
## text is the editors' own; these are the words around it. $newsletter is the newsletter's
## name.

# The subject (and title) when the editors gave the welcome none of its own.
welcome-email-subject = Boas-vindas! Agora você recebe { $newsletter }
welcome-email-button = Escolher o que receber
# $reader_url opens the reader's own page.
welcome-email-your-page = Na <a href="{ $reader_url }" style="{ $link_style }">sua página</a>, você pode escolher os temas e com que frequência quer receber nossos e-mails, cancelar a inscrição ou pedir uma cópia dos seus dados.
welcome-email-your-page-text = Na sua página, você pode escolher os temas e com que frequência quer receber nossos e-mails, cancelar a inscrição ou pedir uma cópia dos seus dados:

## Digest emails. The articles, the subject and the editors' note above the articles are the
## editors'; these are the words around them.

digest-view-in-browser = Ver no navegador
digest-view-in-browser-text = Ver no navegador:
# The line above the articles. $name is the reader's name as they gave it.
digest-hello-name = Olá, { $name }! Confira suas próximas leituras.
digest-hello = Olá! Confira suas próximas leituras.
# Told once to a reader who agreed to older versions of the policies. The versions are the
# publication's labels, like "2026-11".
digest-policy-changed = Atualizamos nossa <a href="{ $privacy_url }" style="{ $link_style }">Política de Privacidade</a> (versão { $privacy_version }) e nossos <a href="{ $terms_url }" style="{ $link_style }">Termos de Uso</a> (versão { $terms_version }). Se você não concordar, pode cancelar sua inscrição a qualquer momento pelo link abaixo.
# The two policies' addresses follow, each on a line of its own.
digest-policy-changed-text = Atualizamos nossa Política de Privacidade (versão { $privacy_version }) e nossos Termos de Uso (versão { $terms_version }):
digest-policy-disagree-text = Se você não concordar, pode cancelar sua inscrição a qualquer momento pelo link no final deste e-mail.
# The heading above the articles (shown in capitals where the script has them).
digest-read-next = Leia a seguir
# Under an article's title. $author is the name the article gives.
digest-by = Por { $author }
# The link under each article to read it on the site (an arrow follows it in the HTML part).
digest-read-more = Leia mais
digest-read-more-text = Leia mais:
# $unsubscribe_url leaves with one click; $data_url opens the reader's page.
digest-unsubscribe = <a href="{ $unsubscribe_url }" style="{ $accent_style }">Cancele sua inscrição</a> com um clique a qualquer momento ou <a href="{ $data_url }" style="{ $link_style }">altere seu nome ou peça uma cópia dos seus dados</a>.
digest-unsubscribe-text = Cancele sua inscrição com um clique:
digest-data-text = Altere seu nome ou peça uma cópia dos seus dados:

## The email carrying a copy of a reader's data, as an attached file. $newsletter is the
## publication's name.

data-export-email-subject = Seus dados em { $newsletter }
# Follows "Hello NAME," (hence no capital letter in English).
data-export-email-body = Como você pediu, segue em anexo uma cópia de tudo o que { $newsletter } tem sobre você: sua inscrição, o registro do seu consentimento (com o que você concordou, quando e de onde) e todos os e-mails que enviamos a você. É um arquivo JSON, que pode ser aberto em qualquer editor de texto.
data-export-email-not-you = Se você não fez esse pedido, alguém usou um link de um dos e-mails que enviamos a você. A cópia foi enviada somente para você, então ninguém mais a viu.

## The email with a fresh link to the reader's page, asked for on the "leave by address"
## page. $newsletter is the publication's name.

unsubscribe-link-email-subject = Seu link para cancelar a inscrição em { $newsletter }
# Follows "Hello NAME," (hence no capital letter in English); a button with the link follows.
unsubscribe-link-email-body = Alguém, provavelmente você, pediu um link para cancelar a inscrição deste endereço em { $newsletter }. Abra o link e clique no botão para cancelar a inscrição; na mesma página, você também pode alterar seu nome ou pedir seus dados.
# As unsubscribe-link-email-body; the link follows on a line of its own.
unsubscribe-link-email-body-text = Alguém, provavelmente você, pediu um link para cancelar a inscrição deste endereço em { $newsletter }. Abra o link e clique no botão para cancelar a inscrição; na mesma página, você também pode alterar seu nome ou pedir seus dados:
unsubscribe-link-email-button = Cancelar inscrição ou alterar preferências
unsubscribe-link-email-not-you = Se você não fez esse pedido, ignore este e-mail: nada será alterado.
