## Messages shown beside a form field (and in the API's "fields"), in sentence case without a
## final full stop: pages add one.

error-email-control-chars = um endereço de e-mail não pode conter quebras de linha nem caracteres de controle
error-email-empty = informe seu endereço de e-mail
error-email-too-long = este endereço de e-mail é longo demais (máximo de 254 caracteres)
error-email-no-at = um endereço de e-mail precisa ter um @, como name@example.com
error-email-incomplete = informe o endereço completo, como name@example.com
error-email-local-too-long = a parte antes do @ é longa demais (máximo de 64 caracteres)
error-email-invalid = isto não parece um endereço de e-mail
error-email-bad-domain = o domínio deste endereço não é válido
error-email-no-full-domain = use um endereço com o nome de domínio completo, como name@example.com
error-name-too-long = seu nome deve ter menos de 100 caracteres
error-control-chars = quebras de linha e caracteres de controle não são permitidos
error-consent = marque a caixa para concordar com a Política de Privacidade e os Termos de Uso
error-source-chars = use apenas letras, números e - _ . : /
error-source-too-long = no máximo 64 caracteres
error-topic-invalid = "{ $topic }" não é um tema: use no máximo 40 letras, números e hifens, por exemplo "local-news"
error-too-many-topics = no máximo { $count } temas
error-too-many-newsletters = no máximo 20 newsletters
error-newsletter-unknown = não existe nenhuma newsletter "{ $slug }"
error-choose-newsletter = escolha pelo menos uma newsletter
error-choose-listed = escolha uma das opções da lista
error-cadence-not-offered = { $newsletter } não oferece "{ $cadence }"; opções disponíveis: { $offered }
error-locale-invalid = "{ $locale }" não é um código de idioma como "de" ou "pt-BR"

## Headings of error pages.

error-title-not-found = Não encontramos esta página
error-title-too-many = Tentativas demais
error-title-sign-in = Faça login
error-title-expired = Este formulário expirou
error-title-conflict = Não foi possível concluir esta ação
error-title-busy = Estamos sobrecarregados no momento
error-title-check = Confira o que você enviou
error-title-unexpected = Algo deu errado
error-back-to-signup = Voltar para a página de inscrição
error-topic-not-covered = nenhuma das newsletters que você escolheu aborda { $topic }; desmarque esse tema ou escolha outra newsletter

## What an error page says under its heading, when the problem is not in what the reader sent.

error-message-not-found = A página que você procura não está aqui. Confira o endereço ou volte à página anterior.
error-message-rate-limited = Muitas inscrições feitas a partir da sua rede; tente novamente mais tarde.
error-message-busy = O serviço está sobrecarregado; tente novamente em instantes.
error-message-unexpected = Tivemos um problema do nosso lado; tente novamente mais tarde.

## The reader's choices for one of their newsletters, on their own page.

# $cadence is what the form sent; $offered the newsletter's cadences (cadence-* messages, first
# letter in lower case) joined by error-cadence-choose-separator.
error-cadence-choose = { $newsletter } não oferece a frequência "{ $cadence }"; escolha { $offered }
error-cadence-choose-separator = {" ou "}
error-topic-not-offered = { $newsletter } não tem o tema "{ $topic }"
error-choose-after-confirming = você poderá escolher quando começar a receber { $newsletter }: confirme a inscrição primeiro ou inscreva-se novamente
