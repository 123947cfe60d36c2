"""The project on a web page: signed personal links, server-rendered pages, forms into engine inputs."""
