## Emails: confirmation, welcome, digest, data export, unsubscribe link.
##
## Each email has an HTML part and a plain-text part. Messages ending in -text are for the
## plain-text part: no markup, and where they end in a colon the address follows after them.
## In messages holding links, keep each <a ...> tag and its attributes exactly as they are
## (`style` carries the link's colour): translate only the words between <a ...> and </a>.

## Words every email uses.

# The first line of an email. $name is the reader's name as they gave it.
email-hello-name = Hello { $name },
email-hello = Hello,
# The footer of emails to a newsletter's readers. $newsletter is its name, $public_url the
# address of the publication's site (also the link's words).
email-why = You are receiving this email because you subscribed to { $newsletter } at <a href="{ $public_url }" style="{ $link_style }">{ $public_url }</a> and confirmed your address.
email-why-text = You are receiving this email because you subscribed to { $newsletter } at { $public_url } and confirmed your address.
# How long a link keeps working: $count of $unit (day, hour or minute), as in "48 hours".
email-lifetime =
    { $unit ->
        [day]
            { $count ->
                [one] { $count } day
               *[other] { $count } days
            }
        [hour]
            { $count ->
                [one] { $count } hour
               *[other] { $count } hours
            }
       *[minute]
            { $count ->
                [one] { $count } minute
               *[other] { $count } minutes
            }
    }

## The confirmation email (double opt-in). $newsletters is what the reader is confirming:
## one newsletter's name, or several as a list ("The Daily and The Weekend Read").

confirm-email-subject = Please confirm your subscription to { $newsletters }
confirm-email-title = Confirm your subscription
# Follows "Hello NAME," on the line above (hence no capital letter in English).
confirm-email-ask = please confirm that you want to receive { $newsletters }.
confirm-email-button = Confirm my subscription
# The confirmation link follows on the next line.
confirm-email-copy-link = Or copy this link into your browser:
# $lifetime is how long the link works (email-lifetime: "48 hours").
confirm-email-expires = The link works once and expires in { $lifetime }.
confirm-email-not-you = If you did not sign up, ignore this email: without confirmation you will get nothing from us.
# $data_url opens the reader's page, where they can ask for a copy of their data.
confirm-email-data = To see what we hold about you, <a href="{ $data_url }" style="{ $link_style }">ask for a copy of your data</a>; we email it to you.
# Follows "Hello NAME,"; the confirmation link follows on a line of its own.
confirm-email-ask-text = please confirm that you want to receive { $newsletters } by opening this link and pressing the button on the page:
confirm-email-data-text = To see what we hold about you (a copy is emailed to you):

## The welcome email, sent once a reader confirms a newsletter that has a welcome text. The
## text is the editors' own; these are the words around it. $newsletter is the newsletter's
## name.

# The subject (and title) when the editors gave the welcome none of its own.
welcome-email-subject = Welcome to { $newsletter }
welcome-email-button = Choose what you get
# $reader_url opens the reader's own page.
welcome-email-your-page = On <a href="{ $reader_url }" style="{ $link_style }">your page</a> you can choose topics and how often you hear from us, unsubscribe, or get a copy of your data.
welcome-email-your-page-text = On your page you can choose topics and how often you hear from us, unsubscribe, or get a copy of your data:

## Digest emails. The articles, the subject and the editors' note above the articles are the
## editors'; these are the words around them.

digest-view-in-browser = View in your browser
digest-view-in-browser-text = View in your browser:
# The line above the articles. $name is the reader's name as they gave it.
digest-hello-name = Hello { $name }, here is what to read next.
digest-hello = Hello, here is what to read next.
# Told once to a reader who agreed to older versions of the policies. The versions are the
# publication's labels, like "2026-11".
digest-policy-changed = We have updated our <a href="{ $privacy_url }" style="{ $link_style }">Privacy Policy</a> (version { $privacy_version }) and <a href="{ $terms_url }" style="{ $link_style }">Terms of Use</a> (version { $terms_version }). If you do not agree, you can unsubscribe at any time with the link below.
# The two policies' addresses follow, each on a line of its own.
digest-policy-changed-text = We have updated our Privacy Policy (version { $privacy_version }) and Terms of Use (version { $terms_version }):
digest-policy-disagree-text = If you do not agree, you can unsubscribe at any time with the link at the end of this email.
# The heading above the articles (shown in capitals where the script has them).
digest-read-next = Read Next
# Under an article's title. $author is the name the article gives.
digest-by = By { $author }
# The link under each article to read it on the site (an arrow follows it in the HTML part).
digest-read-more = Read more
digest-read-more-text = Read more:
# $unsubscribe_url leaves with one click; $data_url opens the reader's page.
digest-unsubscribe = <a href="{ $unsubscribe_url }" style="{ $accent_style }">Unsubscribe</a> with one click at any time, or <a href="{ $data_url }" style="{ $link_style }">change your name or get a copy of your data</a>.
digest-unsubscribe-text = Unsubscribe with one click:
digest-data-text = Change your name or get a copy of your data:

## The email carrying a copy of a reader's data, as an attached file. $newsletter is the
## publication's name.

data-export-email-subject = Your data at { $newsletter }
# Follows "Hello NAME," (hence no capital letter in English).
data-export-email-body = as you asked, attached is a copy of everything { $newsletter } holds about you: your subscription, the record of your consent (what you agreed to, when and from where) and every email we sent you. It is a JSON file, readable in any text editor.
data-export-email-not-you = If you did not ask for this, someone used a link from one of our emails to you. The copy came only to you, so nobody else has seen it.

## The email with a fresh link to the reader's page, asked for on the "leave by address"
## page. $newsletter is the publication's name.

unsubscribe-link-email-subject = Your link to unsubscribe from { $newsletter }
# Follows "Hello NAME," (hence no capital letter in English); a button with the link follows.
unsubscribe-link-email-body = someone, probably you, asked for a link to unsubscribe this address from { $newsletter }. Open it and press the button to unsubscribe; you can also change your name or ask for your data there.
# As unsubscribe-link-email-body; the link follows on a line of its own.
unsubscribe-link-email-body-text = someone, probably you, asked for a link to unsubscribe this address from { $newsletter }. Open it and press the button to unsubscribe; you can also change your name or ask for your data there:
unsubscribe-link-email-button = Unsubscribe or change my settings
unsubscribe-link-email-not-you = If you did not ask for this, ignore this email: nothing changes.
