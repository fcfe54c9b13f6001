"""The portal's user: one login per institution, person, expert or staff member.

People sign in with their mobile number (the username field) or email, plus a password.
"""
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .validators import validate_mobile


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, mobile, email, password, **extra_fields):
        if not mobile:
            raise ValueError("A user needs a mobile number.")
        user = self.model(mobile=mobile, email=self.normalize_email(email) or None, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, mobile, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(mobile, email, password, **extra_fields)

    def create_superuser(self, mobile, email=None, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(mobile, email, password, **extra_fields)

    def normalize_email(self, email):
        return (super().normalize_email(email) or "").strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    mobile = models.CharField("手机号", max_length=11, unique=True, validators=[validate_mobile])
    email = models.EmailField("电子邮箱", blank=True, null=True)
    name = models.CharField("姓名/名称", max_length=100, blank=True)
    is_staff = models.BooleanField(
        "工作人员", default=False, help_text="可以登录管理后台。"
    )
    is_active = models.BooleanField(
        "有效", default=True, help_text="停用后不能登录，已登录的会话也随即失效。"
    )
    date_joined = models.DateTimeField("注册时间", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "mobile"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                condition=models.Q(email__isnull=False),
                violation_error_message="该邮箱已被其他账号使用。",
            )
        ]

    def __str__(self):
        return self.name or self.mobile

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email) or None

    def get_full_name(self):
        return self.name or self.mobile

    def get_short_name(self):
        return self.name or self.mobile


class MobileCode(models.Model):
    """The latest verification code sent to a mobile number by SMS (one row per number): its
    keyed hash (core.sealing.keyed_digest, never the code), when it was sent and expires, and
    how many wrong tries it has had. A number's owner proves it before the portal says
    anything about the number (whether it has an account)."""

    mobile = models.CharField("手机号", max_length=11, unique=True)
    code_digest = models.CharField(max_length=64)
    sent_at = models.DateTimeField("发送时间")
    expires_at = models.DateTimeField("有效期至")
    failed_tries = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField("验证时间", null=True, blank=True)

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"

    def __str__(self):
        return f"{self.mobile[:3]}****{self.mobile[-4:]}"
