## The signup page (also what the embed snippet shows).

signup-title = Inscrição
signup-heading = Inscreva-se para receber { $newsletter }
signup-heading-several = Inscreva-se em nossas newsletters
signup-lede-several = Escolha o que você quer receber. Um único e-mail confirma tudo.
signup-form-error =
    { $count ->
        [one] Corrija o campo destacado abaixo.
       *[other] Corrija os campos destacados abaixo.
    }
signup-email = Endereço de e-mail
signup-name = Nome
signup-newsletters = Newsletters
signup-topics = Temas
signup-topics-hint = Marque os que interessam a você ou nenhum para receber tudo.
signup-how-often = Frequência
signup-honeypot = Deixe este campo vazio
signup-submit = Inscrever-se
signup-fineprint = Enviaremos um e-mail para confirmar seu endereço. Sem confirmação, nada de newsletter.
signup-accepted = Obrigado! Confira sua caixa de entrada e confirme sua inscrição.
signup-archive = Ainda em dúvida? <a href="/archive">Leia as edições anteriores</a>.
# The consent checkbox's label: kept word for word, with its language, as evidence of what
# each reader agreed to. Keep both links.
consent-label = Concordo com a <a href="{ $privacy_url }">Política de Privacidade</a> e com os <a href="{ $terms_url }">Termos de Uso</a>. Você pode cancelar sua inscrição a qualquer momento.

## Cadence choices, on the signup page and the reader's page. $time is like 08:00, $zone a
## time zone name (Europe/Berlin), $day 0 (Sunday) to 6 (Saturday).

cadence-whenever = Sempre que a redação enviar
cadence-scheduled = Conforme a programação habitual
cadence-instant-every =
    À medida que os artigos são publicados, no máximo um e-mail { $unit ->
        [hour] { $count ->
            [one] por hora
           *[other] a cada { $count } horas
        }
       *[minute] { $count ->
            [one] por minuto
           *[other] a cada { $count } minutos
        }
    }
cadence-daily-at = Uma vez por dia, às { $time } ({ $zone })
cadence-weekly-at =
    Uma vez por semana, { $day ->
        [0] aos domingos
        [1] às segundas-feiras
        [2] às terças-feiras
        [3] às quartas-feiras
        [4] às quintas-feiras
        [5] às sextas-feiras
       *[6] aos sábados
    }, às { $time } ({ $zone })
cadence-short-scheduled = Conforme a programação habitual de cada newsletter
cadence-short-instant = À medida que os artigos são publicados
cadence-short-daily = Uma vez por dia
cadence-short-weekly = Uma vez por semana
cadence-offered-by = Disponível em { $newsletters }

## After the form: check your inbox.

thanks-title = Confira sua caixa de entrada
thanks-sent-to = Obrigado por se inscrever! Enviamos um e-mail para <strong>{ $email }</strong> com um link para confirmar sua inscrição.
thanks-sent = Obrigado por se inscrever! Enviamos a você um e-mail com um link para confirmar sua inscrição.
thanks-from = O remetente é <strong>{ $from }</strong>, e a mensagem pode levar um ou dois minutos para chegar; se ela não aparecer, confira sua pasta de spam.
thanks-archive = Enquanto isso, <a href="/archive">leia as edições anteriores</a>.
thanks-already = Se você já tinha se inscrito, nada muda: você continuará recebendo { $newsletter } como antes.

## The confirmation link's page (the button that confirms) and the page after it.

confirm-title = Confirme sua inscrição
confirm-heading = Só falta um passo
confirm-text = Clique no botão para confirmar que você quer receber { $newsletter }.
confirm-button = Confirmar minha inscrição
confirm-fineprint = Não se inscreveu? É só fechar esta página: sem confirmação, você não receberá nada de nós.
confirmed-title = Inscrição confirmada
confirmed-heading = Tudo pronto
confirmed-already = Você já tinha confirmado este endereço, então não há mais nada a fazer: sua inscrição em { $newsletter } está ativa.
confirmed-text = Obrigado! Sua inscrição em { $newsletter } está confirmada. A próxima edição chegará em breve à sua caixa de entrada.
confirmed-archive = Até lá, <a href="/archive">leia as edições anteriores</a>.
confirmed-fineprint = Todo e-mail traz um link para cancelar a inscrição com um clique.

## A confirmation link that cannot be used. The page shows one of the reasons, then
## link-invalid-lifetime.

link-invalid-title = Link inválido
link-invalid-heading = Este link não pode ser usado
link-invalid-expired = Este link de confirmação expirou.
link-invalid-used = Este link de confirmação já foi usado.
link-invalid-unknown = Não reconhecemos este link de confirmação.
link-invalid-lifetime = Os links de confirmação funcionam uma única vez e apenas por tempo limitado.
link-invalid-again = Se você quer receber { $newsletter }, <a href="/">inscreva-se novamente</a> e enviaremos um novo link.

## Leaving by address: for a reader whose unsubscribe link does not work, or who came to
## leave without one. They get an email with a fresh link.

leave-broken-title = Este link não funciona
leave-broken-text = Não conseguimos associar este link de cancelamento a nenhuma inscrição. Às vezes, os programas de e-mail alteram ou cortam os links, e eles também deixam de funcionar quando um endereço é removido da nossa lista.
leave-by-address-heading = Cancelar a inscrição pelo endereço de e-mail
leave-title = Cancelar inscrição
leave-lede = Informe seu endereço e enviaremos por e-mail um novo link para cancelar a inscrição. Ele vai apenas para esse endereço, então ninguém consegue cancelar a inscrição de outra pessoa.
leave-email = Endereço de e-mail
leave-submit = Enviar link por e-mail
leave-sent-title = Confira sua caixa de entrada
# $email is the address as typed, partly hidden: a***@example.com.
leave-sent-text = Se { $email } estiver na lista de { $newsletter }, enviamos para esse endereço um e-mail com um link para cancelar a inscrição. Pode levar um ou dois minutos; se não chegar, confira sua pasta de spam.

## The reader's own page (the unsubscribe link of every email): leaving, their newsletters
## with topics and cadence, their name, language and data. $email is their address, partly
## hidden (a***@example.com); $newsletter a newsletter's name.

preferences-title = Sua inscrição
preferences-left-heading = Você deixou de receber { $newsletter }
preferences-left-text = <strong>{ $email }</strong> não recebe mais { $newsletter }. Suas outras newsletters continuam chegando: você pode alterá-las ou cancelá-las abaixo.
preferences-leave-heading = Deixar de receber { $newsletter }?
# What the button at the top does when they get other newsletters too.
preferences-leave-one = Clique no botão e <strong>{ $email }</strong> não receberá mais { $newsletter }. Suas outras newsletters continuam chegando: você pode alterá-las ou cancelá-las abaixo.
preferences-leave-all = Clique no botão e <strong>{ $email }</strong> não receberá mais nenhum e-mail nosso.
preferences-unsubscribe = Cancelar inscrição
# Said as the newsletter's name in preferences-leave-heading when the button leaves several.
preferences-all-newsletters = todas as nossas newsletters
preferences-unsubscribed-heading = Sua inscrição em { $newsletter } foi cancelada
preferences-unsubscribed-text = <strong>{ $email }</strong> não recebe nenhum e-mail nosso. Mudou de ideia? Você pode <a href="/">se inscrever novamente</a> a qualquer momento; pediremos que você confirme por e-mail.
preferences-newsletters-heading = Suas newsletters
preferences-newsletters-lede = Escolha os temas que você quer receber de cada uma e com que frequência. Sem nenhum tema marcado, você recebe tudo o que ela envia.
preferences-choice-error =
    { $count ->
        [one] Corrija a opção destacada abaixo.
       *[other] Corrija as opções destacadas abaixo.
    }
preferences-topics = Temas
preferences-topics-none = (nenhum marcado: tudo)
preferences-how-often = Frequência
# The part in the span is read out by screen readers only.
preferences-save-choices = Salvar escolhas<span class="visually-hidden"> de { $newsletter }</span>
preferences-leave-newsletter = Deixar de receber { $newsletter }
preferences-leave-all-lede = Ou cancele tudo: você não receberá mais nenhum e-mail nosso.
preferences-leave-all-button = Cancelar tudo
# Where the reader stands on one newsletter, under its name.
preferences-summary-pending = Aguardando sua confirmação: procure nosso e-mail com o link.
preferences-summary-left = Você deixou de receber esta newsletter.
# $when is one of the cadence-* messages with its first letter made lower case; $topics is
# the topics' names joined by list-separator, or preferences-every-topic.
preferences-summary = Você recebe: { $when }; { $topics }.
preferences-every-topic = todos os temas
preferences-details-heading = Seus dados
preferences-name = Como devemos chamar você
preferences-name-optional = (deixe em branco se preferir não informar)
preferences-save-name = Salvar nome
preferences-save-language = Salvar idioma
preferences-data-text = Quer uma cópia de tudo o que temos sobre você: seus dados cadastrais, o registro do seu consentimento e os e-mails que enviamos? Enviamos tudo em um arquivo para o seu endereço de e-mail; nada disso é exibido nesta página.
preferences-data-button = Enviar meus dados por e-mail
# Notices after a change.
preferences-saved-name = Salvo. Seu próximo e-mail usará este nome.
# $language is the language's own name (Deutsch, Français); the page is already in it.
preferences-saved-language = Salvo. A partir de agora, vamos escrever para você em { $language }.
preferences-data-sent = A caminho: estamos enviando uma cópia dos seus dados para o seu endereço de e-mail. Pode levar alguns minutos para chegar.
preferences-data-limit = Você já pediu seus dados três vezes hoje. Procure as cópias na sua caixa de entrada (e na pasta de spam) ou peça novamente amanhã.
preferences-saved-choice = Salvo. A partir do próximo e-mail, você receberá { $newsletter } conforme sua escolha.
# Said as $newsletter in preferences-saved-choice and preferences-left-one when the
# newsletter is no longer known.
preferences-the-newsletter = a newsletter
preferences-left-one = Pronto: você não receberá mais { $newsletter }.
preferences-left-every = Pronto: você não receberá mais nenhuma das nossas newsletters.

## After leaving with the button or a mail program's one-click request.

unsubscribed-title = Inscrição cancelada
unsubscribed-heading = Sua inscrição foi cancelada
unsubscribed-text = Você não receberá mais e-mails de { $newsletter }. Sentiremos sua falta.
# $link leads to the reader's own page.
unsubscribed-others = Suas outras newsletters continuam chegando. <a href="{ $link }">Altere ou cancele as outras inscrições</a>.
unsubscribed-again = Mudou de ideia? Você pode <a href="/">se inscrever novamente</a> a qualquer momento.
unsubscribed-data = Quer uma cópia dos dados que temos sobre você? <a href="{ $link }">Peça aqui</a>.

## The public archive of past issues, and one issue's web version.

archive-title = Arquivo
archive-heading = Edições anteriores
# After the publication's own description.
archive-lede = Aqui está tudo o que já enviamos; <a href="/">inscreva-se</a> para receber a próxima edição.
archive-empty = Ainda não enviamos nenhuma edição.
archive-feed = <a href="/archive.xml">Feed Atom</a> das edições anteriores.
archive-by = Por { $author }
archive-sign-up = <a href="/">Inscreva-se para receber { $newsletter }</a>: a próxima edição chega direto no seu e-mail.

## What the embedded signup form's script says while and after it sends the form.

embed-sending = Enviando…
embed-failed = Algo deu errado; tente novamente.
