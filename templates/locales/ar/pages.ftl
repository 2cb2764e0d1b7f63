## The signup page (also what the embed snippet shows).

signup-title = Sign up
signup-heading = Sign Up For { $newsletter }
signup-heading-several = Sign Up For Our Newsletters
signup-lede-several = Choose what you would like to get. One email confirms it all.
signup-form-error =
    { $count ->
        [one] Please correct the highlighted field below.
       *[other] Please correct the highlighted fields below.
    }
signup-email = Email address
signup-name = First name
signup-newsletters = Newsletters
signup-topics = Topics
signup-topics-hint = Pick the ones you care about, or none to get everything.
signup-how-often = How often
signup-honeypot = Leave this field empty
signup-submit = Sign up
signup-fineprint = We will send you an email to confirm your address. No confirmation, no newsletter.
signup-accepted = Thanks! Please check your inbox and confirm your subscription.
signup-archive = Not sure yet? <a href="/archive">Read past issues</a>.
# The consent checkbox's label: kept word for word, with its language, as evidence of what
# each reader agreed to. Keep both links.
consent-label = I agree to the <a href="{ $privacy_url }">Privacy Policy</a> and <a href="{ $terms_url }">Terms of Use</a>. You may opt out at any time.

## Cadence choices, on the signup page and the reader's page. $time is like 08:00, $zone a
## time zone name (Europe/Berlin), $day 0 (Sunday) to 6 (Saturday).

cadence-whenever = Whenever the editors send it
cadence-scheduled = On its usual schedule
cadence-instant-every =
    As articles are published, at most one email { $unit ->
        [hour] { $count ->
            [one] every hour
           *[other] every { $count } hours
        }
       *[minute] { $count ->
            [one] every minute
           *[other] every { $count } minutes
        }
    }
cadence-daily-at = Once a day, at { $time } ({ $zone })
cadence-weekly-at =
    Once a week, on { $day ->
        [0] Sundays
        [1] Mondays
        [2] Tuesdays
        [3] Wednesdays
        [4] Thursdays
        [5] Fridays
       *[6] Saturdays
    } at { $time } ({ $zone })
cadence-short-scheduled = On each newsletter's usual schedule
cadence-short-instant = As articles are published
cadence-short-daily = Once a day
cadence-short-weekly = Once a week
cadence-offered-by = Offered by { $newsletters }

## After the form: check your inbox.

thanks-title = Check your inbox
thanks-sent-to = Thanks for signing up! We have sent an email to <strong>{ $email }</strong> with a link to confirm your subscription.
thanks-sent = Thanks for signing up! We have sent you an email with a link to confirm your subscription.
thanks-from = It comes from <strong>{ $from }</strong> and may take a minute or two to arrive; if it does not, look in your spam folder.
thanks-archive = Meanwhile, <a href="/archive">read past issues</a>.
thanks-already = If you were already subscribed, nothing changes and you will keep getting { $newsletter } as before.

## The confirmation link's page (the button that confirms) and the page after it.

confirm-title = Confirm your subscription
confirm-heading = One last step
confirm-text = Press the button to confirm that you want to receive { $newsletter }.
confirm-button = Confirm my subscription
confirm-fineprint = Did not sign up? Simply close this page: without confirmation you will get nothing from us.
confirmed-title = Subscription confirmed
confirmed-heading = You're subscribed
confirmed-already = You had already confirmed this address, so there is nothing more to do: your subscription to { $newsletter } is active.
confirmed-text = Thank you! Your subscription to { $newsletter } is confirmed. The next issue will be in your inbox soon.
confirmed-archive = Until then, <a href="/archive">read past issues</a>.
confirmed-fineprint = Every email has a link to unsubscribe with one click.

## A confirmation link that cannot be used. The page shows one of the reasons, then
## link-invalid-lifetime.

link-invalid-title = Link not valid
link-invalid-heading = This link cannot be used
link-invalid-expired = This confirmation link has expired.
link-invalid-used = This confirmation link has already been used.
link-invalid-unknown = We do not recognise this confirmation link.
link-invalid-lifetime = Confirmation links work once and only for a limited time.
link-invalid-again = If you want to receive { $newsletter }, please <a href="/">sign up again</a> and we will send you a fresh link.

## Leaving by address: for a reader whose unsubscribe link does not work, or who came to
## leave without one. They get an email with a fresh link.

leave-broken-title = This link does not work
leave-broken-text = We could not match this unsubscribe link to a reader. Mail programs sometimes change or cut links, and links stop working when an address is removed from our list.
leave-by-address-heading = Unsubscribe by email address
leave-title = Unsubscribe
leave-lede = Enter your address and we will email you a fresh link to unsubscribe. It goes only to that address, so nobody can unsubscribe someone else.
leave-email = Email address
leave-submit = Email me a link
leave-sent-title = Check your inbox
# $email is the address as typed, partly hidden: a***@example.com.
leave-sent-text = If { $email } is on the list of { $newsletter }, we have sent it an email with a link to unsubscribe. It may take a minute or two; if it does not arrive, look in your spam folder.

## The reader's own page (the unsubscribe link of every email): leaving, their newsletters
## with topics and cadence, their name, language and data. $email is their address, partly
## hidden (a***@example.com); $newsletter a newsletter's name.

preferences-title = Your subscription
preferences-left-heading = You've left { $newsletter }
preferences-left-text = <strong>{ $email }</strong> gets no more { $newsletter }. Your other newsletters keep coming: change or leave them below.
preferences-leave-heading = Unsubscribe from { $newsletter }?
# What the button at the top does when they get other newsletters too.
preferences-leave-one = Press the button and <strong>{ $email }</strong> will get no more { $newsletter }. Your other newsletters keep coming: change or leave them below.
preferences-leave-all = Press the button and <strong>{ $email }</strong> will get no more emails from us.
preferences-unsubscribe = Unsubscribe
# Said as the newsletter's name in preferences-leave-heading when the button leaves several.
preferences-all-newsletters = all our newsletters
preferences-unsubscribed-heading = You're unsubscribed from { $newsletter }
preferences-unsubscribed-text = <strong>{ $email }</strong> gets no emails from us. Changed your mind? You can <a href="/">subscribe again</a> at any time; we will ask you to confirm by email.
preferences-newsletters-heading = Your newsletters
preferences-newsletters-lede = Choose the topics you want from each and how often it comes. With no topic ticked you get everything it sends.
preferences-choice-error =
    { $count ->
        [one] Please correct the highlighted choice below.
       *[other] Please correct the highlighted choices below.
    }
preferences-topics = Topics
preferences-topics-none = (none ticked: everything)
preferences-how-often = How often
# The part in the span is read out by screen readers only.
preferences-save-choices = Save choices<span class="visually-hidden"> for { $newsletter }</span>
preferences-leave-newsletter = Leave { $newsletter }
preferences-leave-all-lede = Or stop everything: no more emails from us at all.
preferences-leave-all-button = Leave all
# Where the reader stands on one newsletter, under its name.
preferences-summary-pending = Waiting for you to confirm: look for our email with the link.
preferences-summary-left = You left this newsletter.
# $when is one of the cadence-* messages with its first letter made lower case; $topics is
# the topics' names joined by list-separator, or preferences-every-topic.
preferences-summary = You get it: { $when }; { $topics }.
preferences-every-topic = every topic
preferences-details-heading = Your details
preferences-name = The name we greet you by
preferences-name-optional = (leave empty for none)
preferences-save-name = Save name
preferences-save-language = Save language
preferences-data-text = Want a copy of everything we hold about you: your details, your consent record and the emails we sent you? We email it to your address as a file; it is never shown on this page.
preferences-data-button = Email me my data
# Notices after a change.
preferences-saved-name = Saved. Your next email will use this name.
# $language is the language's own name (Deutsch, Français); the page is already in it.
preferences-saved-language = Saved. We will write to you in { $language } from now on.
preferences-data-sent = On its way: we are emailing a copy of your data to your address. It can take a few minutes to arrive.
preferences-data-limit = You have asked for your data three times today already. Please look in your inbox (and spam folder) for the copies, or ask again tomorrow.
preferences-saved-choice = Saved. Your next emails of { $newsletter } follow your choice.
# Said as $newsletter in preferences-saved-choice and preferences-left-one when the
# newsletter is no longer known.
preferences-the-newsletter = the newsletter
preferences-left-one = Done: you left { $newsletter }.
preferences-left-every = Done: you left all our newsletters.

## After leaving with the button or a mail program's one-click request.

unsubscribed-title = Unsubscribed
unsubscribed-heading = You're unsubscribed
unsubscribed-text = You will get no more emails from { $newsletter }. Sorry to see you go.
# $link leads to the reader's own page.
unsubscribed-others = Your other newsletters keep coming. <a href="{ $link }">Change or leave them</a>.
unsubscribed-again = Changed your mind? You can <a href="/">subscribe again</a> at any time.
unsubscribed-data = Want a copy of the data we hold about you? <a href="{ $link }">Ask for it here</a>.

## The public archive of past issues, and one issue's web version.

archive-title = Archive
archive-heading = Past issues
# After the publication's own description.
archive-lede = Here is what went out so far; <a href="/">sign up</a> to get the next one.
archive-empty = Nothing has gone out yet.
archive-feed = <a href="/archive.xml">Atom feed</a> of past issues.
archive-by = By { $author }
archive-sign-up = <a href="/">Sign up for { $newsletter }</a> to get the next issue by email.

## What the embedded signup form's script says while and after it sends the form.

embed-sending = Sending…
embed-failed = Something went wrong; please try again.
