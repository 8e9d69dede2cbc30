"""Sign up, profile and password pages (log in and out and the password reset are Django's
own views, set up in the URLs)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from catalog.selectors import profile_for
from catalog.services.accounts import profile_update, user_sign_up
from core.exceptions import ApplicationError
from core.limits import client_address, sign_up_attempt_take
from movierec_site.web.forms import ProfileForm, SignUpForm


@require_http_methods(["GET", "POST"])
def sign_up_view(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sign_up_attempt_take(address=client_address(request))
            user = user_sign_up(**form.cleaned_data)
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.username}! Rate a few movies you know.")
            return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "web/accounts/sign_up.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit_view(request):
    initial = ProfileForm.initial_for(user=request.user, profile=profile_for(user=request.user))
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    status = 400 if form.errors else 200
    return render(request, "web/accounts/profile.html", {"form": form}, status=status)


class AccountPasswordChangeView(SuccessMessageMixin, PasswordChangeView):
    template_name = "web/accounts/password_change.html"
    success_url = reverse_lazy("profile")
    success_message = "Your password is changed."
