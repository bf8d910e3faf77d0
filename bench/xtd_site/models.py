from django.db import models


class Article(models.Model):
    """The commented object: one per benchmarked discussion."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(unique=True)

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"/article/{self.slug}/"
