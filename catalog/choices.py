"""The MovieLens-1M vocabularies: genres, age brackets and occupations."""

from django.db import models

from movielens.genres import GENRES  # noqa: F401 - re-exported beside the other ml-1m vocabularies


class Gender(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"


class AgeBracket(models.IntegerChoices):
    UNDER_18 = 1, "Under 18"
    FROM_18 = 18, "18-24"
    FROM_25 = 25, "25-34"
    FROM_35 = 35, "35-44"
    FROM_45 = 45, "45-49"
    FROM_50 = 50, "50-55"
    FROM_56 = 56, "56+"


class Occupation(models.IntegerChoices):
    OTHER = 0, "other or not specified"
    EDUCATOR = 1, "academic/educator"
    ARTIST = 2, "artist"
    CLERICAL = 3, "clerical/admin"
    STUDENT = 4, "college/grad student"
    CUSTOMER_SERVICE = 5, "customer service"
    HEALTH_CARE = 6, "doctor/health care"
    EXECUTIVE = 7, "executive/managerial"
    FARMER = 8, "farmer"
    HOMEMAKER = 9, "homemaker"
    K12_STUDENT = 10, "K-12 student"
    LAWYER = 11, "lawyer"
    PROGRAMMER = 12, "programmer"
    RETIRED = 13, "retired"
    SALES = 14, "sales/marketing"
    SCIENTIST = 15, "scientist"
    SELF_EMPLOYED = 16, "self-employed"
    TECHNICIAN = 17, "technician/engineer"
    TRADESMAN = 18, "tradesman/craftsman"
    UNEMPLOYED = 19, "unemployed"
    WRITER = 20, "writer"


def age_bracket_for(age: int) -> int:
    """The ml-1m bracket code for an exact age in years (as ml-100k records it)."""
    for lower, code in ((56, 56), (50, 50), (45, 45), (35, 35), (25, 25), (18, 18)):
        if age >= lower:
            return code
    return AgeBracket.UNDER_18
