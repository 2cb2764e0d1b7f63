## Messages shown beside a form field (and in the API's "fields"), in sentence case without a
## final full stop: pages add one.

error-email-control-chars = لا يمكن أن يحتوي عنوان البريد الإلكتروني على فواصل أسطر أو أحرف تحكّم
error-email-empty = يُرجى إدخال عنوان بريدك الإلكتروني
error-email-too-long = عنوان البريد الإلكتروني هذا طويل جدًا (254 حرفًا على الأكثر)
error-email-no-at = يجب أن يحتوي عنوان البريد الإلكتروني على الرمز @، مثل name@example.com
error-email-incomplete = يُرجى إدخال عنوان كامل، مثل name@example.com
error-email-local-too-long = الجزء الذي يسبق @ طويل جدًا (64 حرفًا على الأكثر)
error-email-invalid = لا يبدو أن هذا عنوان بريد إلكتروني
error-email-bad-domain = نطاق هذا العنوان غير صالح
error-email-no-full-domain = يُرجى استخدام عنوان يتضمّن اسم نطاق كاملًا، مثل name@example.com
error-name-too-long = يُرجى ألّا يتجاوز اسمك 100 حرف
error-control-chars = لا يُسمح بفواصل الأسطر وأحرف التحكّم
error-consent = يُرجى وضع علامة في المربع للموافقة على سياسة الخصوصية وشروط الاستخدام
error-source-chars = يُسمح فقط بالأحرف اللاتينية والأرقام والرموز - _ . : /
error-source-too-long = 64 حرفًا على الأكثر
error-topic-invalid = «{ $topic }» ليس موضوعًا صالحًا: يُرجى استخدام 40 حرفًا على الأكثر من الأحرف اللاتينية والأرقام والشرطات، مثل «local-news»
error-too-many-topics =
    { $count ->
        [zero] لا يُسمح بأي موضوع
        [one] موضوع واحد على الأكثر
        [two] موضوعان على الأكثر
        [few] { $count } موضوعات على الأكثر
        [many] { $count } موضوعًا على الأكثر
       *[other] { $count } موضوع على الأكثر
    }
error-too-many-newsletters = 20 نشرة بريدية على الأكثر
error-newsletter-unknown = لا توجد نشرة بريدية باسم «{ $slug }»
error-choose-newsletter = يُرجى اختيار نشرة بريدية واحدة على الأقل
error-choose-listed = يُرجى اختيار أحد الخيارات المعروضة
error-cadence-not-offered = وتيرة «{ $cadence }» غير متاحة في { $newsletter }؛ الخيارات المتاحة: { $offered }
error-locale-invalid = «{ $locale }» ليس رمز لغة مثل «de» أو «pt-BR»

## Headings of error pages.

error-title-not-found = تعذّر العثور على هذه الصفحة
error-title-too-many = محاولات كثيرة جدًا
error-title-sign-in = يُرجى تسجيل الدخول
error-title-expired = انتهت صلاحية هذا النموذج
error-title-conflict = تعذّر تنفيذ ذلك
error-title-busy = نواجه ضغطًا كبيرًا حاليًا
error-title-check = يُرجى مراجعة ما أرسلته
error-title-unexpected = حدث خطأ ما
error-back-to-signup = العودة إلى صفحة الاشتراك
error-topic-not-covered = لا تتناول أيٌّ من النشرات البريدية التي اخترتها موضوع { $topic }؛ يُرجى إلغاء تحديده أو اختيار نشرة أخرى

## What an error page says under its heading, when the problem is not in what the reader sent.

error-message-not-found = الصفحة التي طلبتها غير موجودة. يُرجى التحقق من العنوان، أو العودة إلى الصفحة السابقة.
error-message-rate-limited = وصلتنا طلبات اشتراك كثيرة جدًا من شبكتك؛ يُرجى المحاولة مرة أخرى لاحقًا.
error-message-busy = الخدمة مشغولة حاليًا؛ يُرجى المحاولة مرة أخرى بعد قليل.
error-message-unexpected = حدث خطأ ما من جهتنا؛ يُرجى المحاولة مرة أخرى لاحقًا.

## The reader's choices for one of their newsletters, on their own page.

# $cadence is what the form sent; $offered the newsletter's cadences (cadence-* messages, first
# letter in lower case) joined by error-cadence-choose-separator.
error-cadence-choose = وتيرة «{ $cadence }» غير متاحة في { $newsletter }؛ يُرجى الاختيار: { $offered }
error-cadence-choose-separator = {"، أو "}
error-topic-not-offered = لا يوجد موضوع «{ $topic }» في { $newsletter }
error-choose-after-confirming = يمكنك الاختيار بعد أن يبدأ وصول { $newsletter } إليك: يُرجى تأكيد الاشتراك أولًا، أو الاشتراك من جديد
