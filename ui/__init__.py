"""The Gradio app: a thin shell over the plain functions of coach."""
