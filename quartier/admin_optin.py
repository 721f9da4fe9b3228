"""Double opt-in in the admin: what people send reaches staff once the address is confirmed.

Until the person opened the link in the confirmation e-mail, nobody knows that the address,
and the name and answers typed with it, are theirs. Staff therefore see such an application or
registration only as a number on the list ("3 not yet confirmed"), never with its personal
data, and its change page does not open. An admin adds the mixin and says what it counts::

    class RegistrationAdmin(ConfirmedOnlyAdminMixin, admin.ModelAdmin):
        unconfirmed_message = ngettext_lazy(
            "%(count)d registration ...", "%(count)d registrations ...", "count"
        )

The model's queryset decides what "confirmed" means (``address_confirmed()`` and
``address_unconfirmed()``).
"""

from django.contrib import messages


class ConfirmedOnlyAdminMixin:
    unconfirmed_message: str  # ngettext_lazy(..., "count")

    def get_queryset(self, request):
        return super().get_queryset(request).address_confirmed()

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            count = self.model._default_manager.address_unconfirmed().count()
            if count:
                self.message_user(
                    request, self.unconfirmed_message % {"count": count}, messages.INFO
                )
        return super().changelist_view(request, extra_context)
