from django.core.management.base import BaseCommand, CommandError

from papers.accounts import author_account
from papers.invitations import invite_author
from papers.management.commands.check_citations import unknown_edition
from papers.models import Edition, Person


def _authors(names):
    return f"{len(names)} author{'' if len(names) == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "E-mail each paper author who has never signed in a link to set their password. "
        "Running it again writes only to those who still have not signed in."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--edition", help="only authors of papers of the edition with this slug"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be done; send and change nothing"
        )

    def handle(self, *args, edition=None, dry_run=False, **options):
        authors = Person.objects.filter(authorships__isnull=False)
        if edition is not None:
            if not Edition.objects.filter(slug=edition).exists():
                raise CommandError(unknown_edition(edition))
            authors = Person.objects.filter(authorships__paper__edition__slug=edition)
        authors = authors.distinct().select_related("user").order_by("display_name", "pk")
        invited, signed_in, no_address, failed = [], [], [], []
        for person in authors:
            name = str(person)
            if person.user is None:
                if dry_run:  # an account made now would have no address either
                    no_address.append(name)
                    self.stdout.write(
                        f"{name}: no account (one would be made) and no e-mail address; "
                        "cannot be invited"
                    )
                    continue
                user = author_account(person)
                self.stdout.write(f"{name}: had no account; made one ({user.get_username()})")
            user = person.user
            if user.last_login is not None or user.has_usable_password():
                signed_in.append(name)
                self.stdout.write(f"{name}: has signed in or set a password already; not invited")
            elif not user.is_active:
                self.stdout.write(f"{name}: the account is disabled; not invited")
            elif not user.email:
                no_address.append(name)
                self.stdout.write(f"{name}: no e-mail address; cannot be invited")
            elif dry_run:
                invited.append(name)
                self.stdout.write(f"{name}: would invite {user.email}")
            else:
                try:
                    invite_author(person)
                except OSError as error:  # smtplib's errors are OSErrors too
                    failed.append(name)
                    self.stderr.write(f"{name}: could not send to {user.email}: {error}")
                    continue
                invited.append(name)
                self.stdout.write(f"{name}: invited {user.email}")
        verb = "Would invite" if dry_run else "Invited"
        summary = f"{verb} {_authors(invited)}; {_authors(signed_in)} signed in already."
        self.stdout.write(self.style.SUCCESS(summary))
        if no_address:
            self.stdout.write(
                self.style.WARNING(
                    f"{_authors(no_address)} without an e-mail address, who cannot be invited "
                    f"(give their account one in the admin): {'; '.join(no_address)}."
                )
            )
        if failed:
            raise CommandError(f"Could not invite {_authors(failed)}: {'; '.join(failed)}.")
