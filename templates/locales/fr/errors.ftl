## Messages shown beside a form field (and in the API's "fields"), in sentence case without a
## final full stop: pages add one.

error-email-control-chars = une adresse e-mail ne peut contenir ni saut de ligne ni caractère de contrôle
error-email-empty = veuillez saisir votre adresse e-mail
error-email-too-long = cette adresse e-mail est trop longue (254 caractères au maximum)
error-email-no-at = une adresse e-mail doit contenir un @, comme name@example.com
error-email-incomplete = veuillez saisir une adresse complète, comme name@example.com
error-email-local-too-long = la partie avant le @ est trop longue (64 caractères au maximum)
error-email-invalid = cela ne ressemble pas à une adresse e-mail
error-email-bad-domain = le domaine de cette adresse n'est pas valide
error-email-no-full-domain = veuillez utiliser une adresse avec un nom de domaine complet, comme name@example.com
error-name-too-long = veuillez limiter votre nom à 100 caractères
error-control-chars = les sauts de ligne et les caractères de contrôle ne sont pas autorisés
error-consent = veuillez cocher la case pour accepter la politique de confidentialité et les conditions d'utilisation
error-source-chars = utilisez uniquement des lettres, des chiffres et - _ . : /
error-source-too-long = 64 caractères au maximum
error-topic-invalid = « { $topic } » n'est pas un thème : utilisez au plus 40 lettres, chiffres et traits d'union, par exemple « local-news »
error-too-many-topics = { $count } thèmes au maximum
error-too-many-newsletters = 20 newsletters au maximum
error-newsletter-unknown = la newsletter « { $slug } » n'existe pas
error-choose-newsletter = veuillez choisir au moins une newsletter
error-choose-listed = veuillez choisir l'une des options proposées
error-cadence-not-offered = { $newsletter } ne propose pas la fréquence "{ $cadence }" ; fréquences proposées : { $offered }
error-locale-invalid = « { $locale } » n'est pas un code de langue comme « de » ou « pt-BR »

## Headings of error pages.

error-title-not-found = Cette page est introuvable
error-title-too-many = Trop de tentatives
error-title-sign-in = Veuillez vous connecter
error-title-expired = Ce formulaire a expiré
error-title-conflict = L'opération n'a pas pu aboutir
error-title-busy = Nous sommes très sollicités en ce moment
error-title-check = Veuillez vérifier votre saisie
error-title-unexpected = Une erreur s'est produite
error-back-to-signup = Retour à la page d'inscription
error-topic-not-covered = aucune des newsletters choisies ne couvre le thème « { $topic } » ; décochez-le ou choisissez une autre newsletter

## What an error page says under its heading, when the problem is not in what the reader sent.

error-message-not-found = La page demandée n'existe pas. Vérifiez l'adresse ou revenez en arrière.
error-message-rate-limited = Trop d'inscriptions depuis votre réseau ; veuillez réessayer plus tard.
error-message-busy = Le service est très sollicité ; veuillez réessayer dans un instant.
error-message-unexpected = Un problème est survenu de notre côté ; veuillez réessayer plus tard.

## The reader's choices for one of their newsletters, on their own page.

# $cadence is what the form sent; $offered the newsletter's cadences (cadence-* messages, first
# letter in lower case) joined by error-cadence-choose-separator.
error-cadence-choose = { $newsletter } ne propose pas la fréquence « { $cadence } » ; choisissez { $offered }
error-cadence-choose-separator = {", ou "}
error-topic-not-offered = { $newsletter } ne propose pas le thème « { $topic } »
error-choose-after-confirming = vous pourrez faire vos choix dès que vous recevrez { $newsletter } : confirmez d'abord votre abonnement, ou inscrivez-vous à nouveau
