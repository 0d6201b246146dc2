"""The API's resources as client attributes (``client.classes``)."""
