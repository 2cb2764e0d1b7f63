## Messages shown beside a form field (and in the API's "fields"), in sentence case without a
## final full stop: pages add one.

error-email-control-chars = an email address cannot contain line breaks or control characters
error-email-empty = please enter your email address
error-email-too-long = this email address is too long (at most 254 characters)
error-email-no-at = an email address needs an @, like name@example.com
error-email-incomplete = please enter a full address, like name@example.com
error-email-local-too-long = the part before the @ is too long (at most 64 characters)
error-email-invalid = this does not look like an email address
error-email-bad-domain = the domain of this address is not valid
error-email-no-full-domain = please use an address with a full domain name, like name@example.com
error-name-too-long = please keep your name under 100 characters
error-control-chars = line breaks and control characters are not allowed
error-consent = please tick the box to agree to the Privacy Policy and Terms of Use
error-source-chars = use letters, digits and - _ . : / only
error-source-too-long = at most 64 characters
error-topic-invalid = "{ $topic }" is not a topic: use at most 40 letters, digits and hyphens, e.g. "local-news"
error-too-many-topics = at most { $count } topics
error-too-many-newsletters = at most 20 newsletters
error-newsletter-unknown = there is no newsletter "{ $slug }"
error-choose-newsletter = please choose at least one newsletter
error-choose-listed = please choose one of the listed options
error-cadence-not-offered = { $newsletter } does not offer "{ $cadence }"; it offers { $offered }
error-locale-invalid = "{ $locale }" is not a language tag like "de" or "pt-BR"

## Headings of error pages.

error-title-not-found = We could not find that page
error-title-too-many = Too many tries
error-title-sign-in = Please sign in
error-title-expired = This form has expired
error-title-conflict = That could not be done
error-title-busy = We are busy right now
error-title-check = Please check what you sent
error-title-unexpected = Something went wrong
error-back-to-signup = Back to the signup page
error-topic-not-covered = none of the newsletters you chose covers { $topic }; untick it or choose another newsletter

## What an error page says under its heading, when the problem is not in what the reader sent.

error-message-not-found = The page you asked for is not here. Check the address, or go back.
error-message-rate-limited = Too many signups from your network; please try again later.
error-message-busy = The service is busy; please try again in a moment.
error-message-unexpected = Something went wrong on our side; please try again later.

## The reader's choices for one of their newsletters, on their own page.

# $cadence is what the form sent; $offered the newsletter's cadences (cadence-* messages, first
# letter in lower case) joined by error-cadence-choose-separator.
error-cadence-choose = { $newsletter } does not come "{ $cadence }"; choose { $offered }
error-cadence-choose-separator = {", or "}
error-topic-not-offered = { $newsletter } has no topic "{ $topic }"
error-choose-after-confirming = you can choose once you get { $newsletter }: confirm it first, or sign up again
