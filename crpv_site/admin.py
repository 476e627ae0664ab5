from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from crpv_site.admin_mixins import FrenchTitlesMixin
from crpv_site.models import User


@admin.register(User)
class UserAdmin(FrenchTitlesMixin, DjangoUserAdmin):
    titles = FrenchTitlesMixin.Titles("un compte", "le compte", "comptes")
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_superuser", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "centres"]
    filter_horizontal = ["centres", "groups", "user_permissions"]
    search_fields = ["email", "first_name", "last_name"]
    show_facets = admin.ShowFacets.ALWAYS
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        ("Curation", {"fields": ("centres",)}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
