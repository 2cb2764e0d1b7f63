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
